using FunAd.Engine.Models;

namespace FunAd.Jobs.Training;

/// <summary>
/// What a run's <see cref="Catalogue.RunProgress.Phase"/> may say: the phases around the engine's work
/// (queued, interrupted, done) and, while it runs, the engine's own <see cref="Stages"/>.
/// </summary>
public static class RunPhase
{
    public const string Queued = "queued";
    /// <summary>Queued again after its worker stopped: the next job resumes from the last checkpoint.</summary>
    public const string Interrupted = "interrupted";
    public const string Done = "done";

    /// <summary>The words a page shows for a running run's phase.</summary>
    public static string Describe(string phase) => phase switch
    {
        Stages.Features => "Extracting features",
        Stages.Synthetic => "Making synthetic anomalies",
        Stages.Training => "Training",
        Stages.Coreset => "Building the memory bank",
        Stages.Export => "Exporting the ONNX model",
        Stages.Scoring => "Scoring the images",
        _ => phase,
    };

    /// <summary>How the run's overall progress is split between stages (features first, then the method).</summary>
    public static double Overall(StageProgress p) => p.Stage switch
    {
        Stages.Features => 0.15 * p.Fraction,
        Stages.Synthetic => 0.15 + 0.05 * p.Fraction,
        Stages.Training or Stages.Coreset => 0.2 + 0.65 * p.Fraction,
        Stages.Export => 0.85 + 0.03 * p.Fraction,
        Stages.Scoring => 0.88 + 0.12 * p.Fraction,
        _ => p.Fraction,
    };
}
