namespace FunAd.Engine.Metrics;

/// <summary>
/// The best F1 over all thresholds of the rule "score &gt;= threshold is anomalous", i.e. the F1 an
/// operator gets when the threshold is tuned on this very set.
/// </summary>
public static class F1Max
{
    /// <summary>
    /// Returns the best F1 and the score value used as threshold to reach it. Tied scores share one
    /// precision-recall point. Among thresholds with equal F1 the highest is returned, the one that
    /// flags the fewest samples.
    /// </summary>
    /// <exception cref="ArgumentException">Lengths differ, a score is NaN, or there are no positives.</exception>
    public static (double F1, double Threshold) Compute(ReadOnlySpan<float> scores, ReadOnlySpan<bool> labels)
    {
        var data = LabeledScores.From(scores, labels);
        data.RequirePositives("F1", nameof(labels));

        double bestF1 = -1;
        float bestThreshold = 0;
        var sweep = data.Sweep();
        while (sweep.MoveNext())
        {
            // F1 = 2TP / (2TP + FP + FN) = 2TP / (TP + FP + P): defined even where nothing is flagged
            // yet, unlike the form through precision.
            double f1 = 2.0 * sweep.TruePositives / (sweep.TruePositives + sweep.FalsePositives + data.Positives);
            if (f1 > bestF1)
            {
                bestF1 = f1;
                bestThreshold = sweep.Threshold;
            }
        }

        return (bestF1, bestThreshold);
    }
}
