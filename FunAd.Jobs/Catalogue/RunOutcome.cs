using System.Text.Json;
using FunAd.Jobs.Scoring;

namespace FunAd.Jobs.Catalogue;

/// <summary>
/// What training and scoring produced: the model's files, how it was trained, the label-free
/// threshold, the heatmaps' scale and the pixel-level metrics. Part of <see cref="TrainingRun"/>
/// (an EF Core complex type, stored in the run's own columns); empty until the run succeeds.
/// </summary>
public sealed class RunOutcome
{
    /// <summary>The model folder relative to the data root, once training wrote it.</summary>
    public string? ModelPath { get; set; }
    /// <summary>The exported ONNX file relative to the data root.</summary>
    public string? OnnxPath { get; set; }
    public string? SelectionRule { get; set; }
    /// <summary>Images left out of training by a reviewer (left out, or confirmed defects when the run excluded them).</summary>
    public int ExcludedImages { get; set; }
    public int ResumedFromEpoch { get; set; }
    /// <summary>The label-free threshold suggested after scoring, and how it was chosen.</summary>
    public double? SuggestedThreshold { get; set; }
    public string? SuggestedThresholdRule { get; set; }
    /// <summary>The heatmaps' colour scale: from a typical image's peak (the median of the images' map maxima; transparent below) to the run's highest map value.</summary>
    public double? MapMin { get; set; }
    public double? MapMax { get; set; }
    /// <summary>
    /// How many training images a memory bank scored without their own bank rows (as new images of their kind);
    /// 0 for FUN-AD, and for banks saved before they kept their rows' images (those images found themselves in the bank).
    /// </summary>
    public int OwnRowsLeftOut { get; set; }

    /// <summary>The run's heatmap colour scale: from <see cref="MapMin"/> to <see cref="MapMax"/>, never empty (0..1 before a run stored one).</summary>
    public (double Low, double High) ColourScale()
    {
        var low = MapMin ?? 0;
        return (low, MapMax is { } high && high > low ? high : low + 1);
    }

    /// <summary>Pixel-level metrics over the images with uploaded masks, computed once by the scoring step.</summary>
    public double? PixelAuroc { get; set; }
    public double? Aupro { get; set; }
    public int MaskedImages { get; set; }
    /// <summary>The pixel-level ROC curve over the masked images, at most 200 points, as JSON [[fpr, tpr], ...].</summary>
    public string? PixelRocJson { get; set; }

    internal void Record(string modelPath, string onnxPath, string? selectionRule, int resumedFromEpoch, int excluded, ScoringSummary scoring)
    {
        ModelPath = modelPath;
        OnnxPath = onnxPath;
        SelectionRule = selectionRule;
        ResumedFromEpoch = resumedFromEpoch;
        ExcludedImages = excluded;
        SuggestedThreshold = scoring.SuggestedThreshold;
        SuggestedThresholdRule = scoring.SuggestedRule;
        MapMin = scoring.MapMin;
        MapMax = scoring.MapMax;
        OwnRowsLeftOut = scoring.OwnRowsLeftOut;
        PixelAuroc = scoring.PixelAuroc;
        Aupro = scoring.Aupro;
        MaskedImages = scoring.MaskedImages;
        PixelRocJson = scoring.PixelRoc is { } roc ? JsonSerializer.Serialize(roc) : null;
    }
}
