using FunAd.Jobs.Training;

namespace FunAd.Jobs.Catalogue;

/// <summary>
/// Where a run is now: its stage, the share done and, while it trains, the epoch, loss and ETA.
/// Part of <see cref="TrainingRun"/> (an EF Core complex type, stored in the run's own columns);
/// it is rewritten as the run goes, so the page and the API read it rather than the log.
/// </summary>
public sealed class RunProgress
{
    /// <summary>The current stage: one of <see cref="RunPhase"/> or, while it runs, the engine's stages.</summary>
    public string Phase { get; set; } = RunPhase.Queued;
    /// <summary>Share of the whole run done, 0..1.</summary>
    public double Fraction { get; set; }
    public string Detail { get; set; } = TrainingRun.WaitingForWorker;
    public int Epoch { get; set; }
    public int Epochs { get; set; }
    public double? Loss { get; set; }
    public double? AnomalousShare { get; set; }
    public double? EtaSeconds { get; set; }

    /// <summary>A new stage or step; the share is clamped, since the engine's estimate may overshoot.</summary>
    internal void Report(string phase, double fraction, string detail)
    {
        Phase = phase;
        Fraction = Math.Clamp(fraction, 0, 1);
        Detail = detail;
    }
}
