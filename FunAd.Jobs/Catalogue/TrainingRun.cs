namespace FunAd.Jobs.Catalogue;

/// <summary>A training job of a project: its settings, where it is, and what it produced.</summary>
public sealed class TrainingRun
{
    public int Id { get; set; }
    public int ProjectId { get; set; }
    public Project? Project { get; set; }
    /// <summary>"funad" or "patchcore".</summary>
    public required string Method { get; set; }
    /// <summary>"fast", "paper" or "custom".</summary>
    public required string Profile { get; set; }
    /// <summary>The full FUN-AD settings (JSON of FunAdOptions) or the baseline's, as the run uses them.</summary>
    public required string ParametersJson { get; set; }
    public int Seed { get; set; }
    public RunStatus Status { get; set; }
    /// <summary>The current stage: "queued", "features", "synthetic", "training", "export", ...</summary>
    public string Phase { get; set; } = "queued";
    /// <summary>Share of the whole run done, 0..1.</summary>
    public double Progress { get; set; }
    public string Detail { get; set; } = "";
    public int Epoch { get; set; }
    public int Epochs { get; set; }
    public double? Loss { get; set; }
    public double? AnomalousShare { get; set; }
    public double? EtaSeconds { get; set; }
    public int ImageCount { get; set; }
    public string? HangfireJobId { get; set; }
    /// <summary>The process working on the run, and when it last said so: a run whose heartbeat stopped was interrupted.</summary>
    public string? Worker { get; set; }
    public DateTimeOffset? HeartbeatAt { get; set; }
    /// <summary>Set by Cancel; the job polls it, so a run on another worker stops too.</summary>
    public bool CancelRequested { get; set; }
    public string? Error { get; set; }
    /// <summary>The model folder relative to the data root, once training wrote it.</summary>
    public string? ModelPath { get; set; }
    /// <summary>The exported ONNX file relative to the data root.</summary>
    public string? OnnxPath { get; set; }
    public string? SelectionRule { get; set; }
    /// <summary>Leave images a reviewer confirmed as defects out of training.</summary>
    public bool ExcludeConfirmedDefects { get; set; }
    public int ExcludedImages { get; set; }
    /// <summary>The label-free threshold suggested after scoring, and how it was chosen.</summary>
    public double? SuggestedThreshold { get; set; }
    public string? SuggestedThresholdRule { get; set; }
    /// <summary>Scores from this up to <see cref="ThresholdHigh"/> need a review; from ThresholdHigh up an image is NG.</summary>
    public double? ThresholdLow { get; set; }
    public double? ThresholdHigh { get; set; }
    /// <summary>The heatmaps' colour scale (the range of all map values of the run).</summary>
    public double? MapMin { get; set; }
    public double? MapMax { get; set; }
    /// <summary>Pixel-level metrics over the images with uploaded masks, computed once by the scoring step.</summary>
    public double? PixelAuroc { get; set; }
    public double? Aupro { get; set; }
    public int MaskedImages { get; set; }
    /// <summary>The pixel-level ROC curve over the masked images, at most 200 points, as JSON [[fpr, tpr], ...].</summary>
    public string? PixelRocJson { get; set; }
    public int ResumedFromEpoch { get; set; }
    public string? CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }

    public List<RunEpoch> EpochHistory { get; set; } = [];
    public List<RunLogEntry> Log { get; set; } = [];
}
