namespace FunAd.Engine.Training;

/// <summary>What one epoch did, for reports and progress charts.</summary>
/// <param name="CandidateChange">Share of training images whose bank-candidate status changed since the previous epoch (null for the first).</param>
public sealed record EpochRecord(int Epoch, double Loss, double BceLoss, double SmoothnessLoss, double AnomalousShare, double? CandidateChange, double Seconds);
