namespace FunAd.Jobs.Scoring;

/// <summary>
/// Where the NG threshold starts, label-free: at the median score of the images the suggested
/// threshold flags. The stronger half of them are NG, the weaker half go to review, so the two
/// thresholds start apart and a reviewer looks first at the images the rule is least sure of.
/// </summary>
public static class ReviewBand
{
    public const string Rule = "NG from the median score of the images the suggestion flags; the weaker half go to review";

    public static double NgFrom(double suggested, IEnumerable<double> scores)
    {
        var flagged = scores.Where(s => s >= suggested).Order().ToArray();
        if (flagged.Length < 2) return suggested;
        var middle = flagged.Length / 2;
        return flagged.Length % 2 == 1 ? flagged[middle] : (flagged[middle - 1] + flagged[middle]) / 2;
    }
}
