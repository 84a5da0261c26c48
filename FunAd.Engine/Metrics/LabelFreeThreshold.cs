namespace FunAd.Engine.Metrics;

/// <summary>
/// A threshold that needs no labels, from the scores of the images themselves, on the premise FUN-AD
/// rests on: most of a production set is normal. The normal scores' centre and spread are estimated
/// robustly (median and MAD, which a minority of defects barely moves) and the threshold is set
/// <see cref="Spread"/> robust standard deviations above the centre.
/// </summary>
public static class LabelFreeThreshold
{
    public const double Spread = 3.0;

    /// <summary>The threshold and a sentence that says how it was chosen.</summary>
    public static (double Threshold, string Rule) Suggest(IReadOnlyList<float> scores)
    {
        if (scores.Count == 0) throw new ArgumentException("No scores to suggest a threshold from.", nameof(scores));
        var sorted = scores.Select(s => (double)s).Where(double.IsFinite).Order().ToArray();
        if (sorted.Length == 0) throw new ArgumentException("No finite scores to suggest a threshold from.", nameof(scores));
        var median = Median(sorted);
        var deviations = sorted.Select(s => Math.Abs(s - median)).Order().ToArray();
        // 1.4826 x MAD estimates the standard deviation of a normal distribution.
        var sigma = 1.4826 * Median(deviations);
        if (sigma <= 0) sigma = (sorted[^1] - sorted[0]) / 6.0;
        var threshold = median + Spread * sigma;
        return (threshold, $"label-free: median + {Spread:0} robust standard deviations (1.4826 x MAD) of the {sorted.Length} scores ({median:G4} + {Spread:0} x {sigma:G4})");
    }

    private static double Median(double[] ascending) =>
        ascending.Length % 2 == 1 ? ascending[ascending.Length / 2] : (ascending[ascending.Length / 2 - 1] + ascending[ascending.Length / 2]) / 2;
}
