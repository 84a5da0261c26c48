namespace FunAd.Jobs.Catalogue;

/// <summary>A finished run's score of one project image, with its stored heatmap (defect mode).</summary>
public sealed class ScoreResult
{
    public long Id { get; set; }
    public int RunId { get; set; }
    public long ImageId { get; set; }
    public ImageAsset? Image { get; set; }
    public double Score { get; set; }
    /// <summary>The heatmap PNG (inferno, transparent where low) relative to the data root; null in semantic mode.</summary>
    public string? HeatmapPath { get; set; }
    /// <summary>funad-bank runs: FUN-AD judged this training image likely defective, so none of its features are in the memory bank.</summary>
    public bool LeftOutOfBank { get; set; }
    /// <summary>The run trained on this image: a run that holds labelled images out measures only on the images it did not train on.</summary>
    public bool Trained { get; set; }
}
