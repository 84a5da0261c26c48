namespace FunAd.Jobs.Scoring;

/// <summary>
/// Where the two thresholds start, label-free: NG at the suggested threshold, whose flagged share was
/// measured within a factor of two of the true defect share (docs/benchmarks.md), and review from
/// just below it, so the images the rule nearly flagged, half as many as it flags (at least one), get
/// a person's look. The two thresholds start apart whenever an image scores below the suggestion.
/// </summary>
public static class ReviewBand
{
    public const string Rule = "NG from the suggestion; the next images below it, half as many as it flags (at least one), go to review";

    public static double ReviewFrom(double suggested, IEnumerable<double> scores)
    {
        var all = scores.Where(double.IsFinite).ToList();
        var flagged = all.Count(s => s >= suggested);
        var below = all.Where(s => s < suggested).OrderDescending().ToList();
        if (below.Count == 0) return suggested;
        return below[Math.Min(below.Count, Math.Max(1, flagged / 2)) - 1];
    }
}
