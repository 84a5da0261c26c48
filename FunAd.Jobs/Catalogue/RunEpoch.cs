namespace FunAd.Jobs.Catalogue;

/// <summary>One finished epoch of a FUN-AD run, for the loss chart.</summary>
public sealed class RunEpoch
{
    public long Id { get; set; }
    public int RunId { get; set; }
    public int Epoch { get; set; }
    public double Loss { get; set; }
    public double BceLoss { get; set; }
    public double SmoothnessLoss { get; set; }
    public double AnomalousShare { get; set; }
}
