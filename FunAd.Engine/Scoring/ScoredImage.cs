using FunAd.Engine.Features;

namespace FunAd.Engine.Scoring;

/// <summary>An image's anomaly score (the maximum of its patch scores) and the patch scores themselves (grid order).</summary>
public sealed record ScoredImage(ExtractedImage Image, float Score, float[] PatchScores);
