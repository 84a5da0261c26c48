namespace FunAd.Engine.Metrics;

/// <summary>
/// Area under the ROC curve: the probability that a random anomalous sample scores above a random
/// normal one, ties counting half (the Mann-Whitney U statistic divided by positives x negatives).
/// </summary>
public static class Auroc
{
    /// <summary>Image-level AUROC. <paramref name="labels"/> is true for anomalous samples.</summary>
    /// <exception cref="ArgumentException">
    /// Lengths differ, a score is NaN, or the labels lack positives or negatives.
    /// </exception>
    public static double Compute(ReadOnlySpan<float> scores, ReadOnlySpan<bool> labels) =>
        FromSorted(LabeledScores.From(scores, labels), nameof(labels));

    /// <summary>
    /// Streams the ROC trapezoids without storing the curve, so pooled pixel sets need no memory
    /// beyond the sorted scores themselves.
    /// </summary>
    internal static double FromSorted(LabeledScores data, string labelsParamName)
    {
        data.RequirePositives("AUROC", labelsParamName);
        data.RequireNegatives("AUROC", labelsParamName);

        // In count units each trapezoid is dFP x (TP + previous TP) / 2, so twice the area is an
        // integer; a long holds it exactly (it is at most 2 x P x N < 2^62 for any array length).
        long twiceArea = 0;
        long previousTruePositives = 0;
        long previousFalsePositives = 0;
        var sweep = data.Sweep();
        while (sweep.MoveNext())
        {
            twiceArea += (sweep.FalsePositives - previousFalsePositives)
                * (sweep.TruePositives + previousTruePositives);
            previousTruePositives = sweep.TruePositives;
            previousFalsePositives = sweep.FalsePositives;
        }

        return twiceArea / (2.0 * data.Positives * data.Negatives);
    }
}
