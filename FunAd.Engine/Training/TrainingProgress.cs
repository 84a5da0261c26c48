namespace FunAd.Engine.Training;

/// <summary>Live progress of FUN-AD training: where it is, its losses, the share of patches pseudo-labelled anomalous, and the time left.</summary>
public sealed record TrainingProgress(
    string Phase,
    int Epoch,
    int Epochs,
    int Iteration,
    int IterationsPerEpoch,
    double Loss,
    double BceLoss,
    double SmoothnessLoss,
    double AnomalousShare,
    TimeSpan? Remaining)
{
    public double Fraction => Epochs == 0 ? 0 : (Epoch + (double)Iteration / Math.Max(1, IterationsPerEpoch)) / Epochs;
}
