namespace FunAd.Engine.Evaluation;

/// <summary>
/// Accuracy of a model on a labelled test set. Pixel metrics are null when the model gives no maps
/// (semantic mode) or some defective image has no mask; <see cref="PixelNote"/> says which.
/// </summary>
public sealed record EvaluationReport(
    int Images,
    int Anomalous,
    double ImageAuroc,
    double F1Max,
    double F1Threshold,
    double? PixelAuroc,
    double? Aupro,
    string? PixelNote,
    int Refused);
