namespace FunAd.Engine.Models;

/// <summary>
/// The stages long engine work reports in <see cref="StageProgress.Stage"/>, in the order a training
/// run passes them. The catalogue stores them as a run's phase, so these strings are also data.
/// </summary>
public static class Stages
{
    public const string Features = "features";
    public const string Synthetic = "synthetic";
    public const string Training = "training";
    public const string Coreset = "coreset";
    public const string Export = "export";
    public const string Scoring = "scoring";
}
