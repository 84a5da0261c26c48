using FunAd.Engine.Features;

namespace FunAd.Engine.Datasets;

/// <summary>A test image with its ground truth: anomalous or not, and where known, the defect mask file.</summary>
public sealed record LabelledImage(ImageSource Source, bool IsAnomalous, string? MaskPath, string Category);
