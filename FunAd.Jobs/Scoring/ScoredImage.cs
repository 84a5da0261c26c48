using FunAd.Jobs.Catalogue;

namespace FunAd.Jobs.Scoring;

/// <summary>
/// One image of a finished run as the review pages see it: its score, ground truth and the reviewer's
/// verdict, for funad-bank runs whether FUN-AD left it out of the memory bank as likely defective, and
/// whether it counts in the run's metrics (a run that holds labelled images out counts only images it did
/// not train on).
/// </summary>
public sealed record ScoredImage(long ImageId, string Name, double Score, ImageLabel Label, string? DefectType, bool HasMask, Verdict? Verdict,
    bool HasHeatmap, int Width, int Height, bool LeftOutOfBank = false, bool Evaluated = true)
{
    /// <summary>The truth the metrics use: a reviewer's verdict first, else the uploaded label; null when neither says or the image does not count.</summary>
    public bool? IsDefect => !Evaluated ? null : Verdict switch
    {
        Catalogue.Verdict.Defect => true,
        Catalogue.Verdict.Normal => false,
        _ => Label switch
        {
            ImageLabel.Anomalous => true,
            ImageLabel.Normal => false,
            _ => null,
        },
    };
}
