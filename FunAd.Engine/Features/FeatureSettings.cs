namespace FunAd.Engine.Features;

/// <summary>How images become backbone input. Part of the cache key and of a saved model.</summary>
/// <param name="CenterCrop">The paper's resize-256-crop-224; off by default so defects at the border are kept.</param>
public sealed record FeatureSettings(bool CenterCrop = false)
{
    /// <summary>Bumped when image preprocessing (decode, resize) changes its output, so cached features are not reused.</summary>
    private const string Preprocessing = "resize2";

    public string CacheRecipe(string backboneId) => $"{backboneId}-{Preprocessing}" + (CenterCrop ? "-crop" : "");
}
