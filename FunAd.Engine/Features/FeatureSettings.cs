namespace FunAd.Engine.Features;

/// <summary>How images become backbone input. Part of the cache key and of a saved model.</summary>
/// <param name="CenterCrop">The paper's resize-256-crop-224; off by default so defects at the border are kept.</param>
public sealed record FeatureSettings(bool CenterCrop = false)
{
    public string CacheRecipe(string backboneId) => CenterCrop ? $"{backboneId}-crop" : backboneId;
}
