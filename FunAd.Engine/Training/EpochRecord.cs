namespace FunAd.Engine.Training;

/// <summary>What one epoch did, for reports and progress charts.</summary>
/// <param name="CandidateChange">Share of training images whose bank-candidate status changed since the previous epoch (null for the first).</param>
/// <param name="ValidationScore">Image AUROC on the user's labelled validation images, at the epochs where it was measured.</param>
public sealed record EpochRecord(int Epoch, double Loss, double BceLoss, double SmoothnessLoss, double AnomalousShare, double? CandidateChange, double Seconds,
    double? ValidationScore = null);
