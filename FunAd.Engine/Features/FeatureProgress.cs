namespace FunAd.Engine.Features;

/// <summary>Progress of feature extraction: images done so far, of how many, and how many came from the cache.</summary>
public readonly record struct FeatureProgress(int Done, int Total, int FromCache);
