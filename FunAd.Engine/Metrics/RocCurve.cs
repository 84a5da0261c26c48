namespace FunAd.Engine.Metrics;

/// <summary>
/// Receiver operating characteristic for the rule "score &gt;= threshold is anomalous": one point
/// per distinct score, thresholds descending, from (0, 0) to (1, 1).
/// </summary>
public sealed class RocCurve
{
    private RocCurve(double[] falsePositiveRates, double[] truePositiveRates, double[] thresholds)
    {
        FalsePositiveRates = falsePositiveRates;
        TruePositiveRates = truePositiveRates;
        Thresholds = thresholds;
        Auc = TrapezoidArea(falsePositiveRates, truePositiveRates);
    }

    public double[] FalsePositiveRates { get; }

    public double[] TruePositiveRates { get; }

    /// <summary>
    /// Thresholds of the points, descending. The first is +infinity: the (0, 0) point where nothing
    /// is flagged. Every other one is a score from the data.
    /// </summary>
    public double[] Thresholds { get; }

    /// <summary>Number of points.</summary>
    public int Count => Thresholds.Length;

    /// <summary>
    /// Trapezoidal area under the points. On a full curve this equals <see cref="Auroc"/>; on a
    /// <see cref="Downsample"/>d one it is only the area of the reduced polyline.
    /// </summary>
    public double Auc { get; }

    /// <exception cref="ArgumentException">
    /// Lengths differ, a score is NaN, or the labels lack positives or negatives.
    /// </exception>
    public static RocCurve Compute(ReadOnlySpan<float> scores, ReadOnlySpan<bool> labels)
    {
        var data = LabeledScores.From(scores, labels);
        data.RequirePositives("the ROC curve", nameof(labels));
        data.RequireNegatives("the ROC curve", nameof(labels));

        // Count the distinct scores first so the arrays are allocated once at their final size.
        int count = 1;
        var counter = data.Sweep();
        while (counter.MoveNext())
        {
            count++;
        }

        var falsePositiveRates = new double[count];
        var truePositiveRates = new double[count];
        var thresholds = new double[count];
        thresholds[0] = double.PositiveInfinity;
        double negatives = data.Negatives;
        double positives = data.Positives;
        var sweep = data.Sweep();
        for (int i = 1; sweep.MoveNext(); i++)
        {
            falsePositiveRates[i] = sweep.FalsePositives / negatives;
            truePositiveRates[i] = sweep.TruePositives / positives;
            thresholds[i] = sweep.Threshold;
        }

        return new RocCurve(falsePositiveRates, truePositiveRates, thresholds);
    }

    /// <summary>
    /// A curve of at most <paramref name="maxPoints"/> of these points, for charts, keeping the
    /// first and last. Returns this curve when it is already small enough.
    /// </summary>
    public RocCurve Downsample(int maxPoints)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, 2);
        if (Count <= maxPoints)
        {
            return this;
        }

        // Points are spaced evenly along the curve's length, not its index: points bunch up where
        // scores are dense, and index spacing would drop the few points that carry large jumps.
        // From (0, 0) a monotone staircase has walked FPR + TPR, so that is the length so far.
        var kept = new List<int>(maxPoints) { 0 };
        int last = Count - 1;
        int i = 0;
        for (int k = 1; k < maxPoints - 1; k++)
        {
            double target = 2.0 * k / (maxPoints - 1);
            while (i < last && FalsePositiveRates[i] + TruePositiveRates[i] < target)
            {
                i++;
            }

            if (i == last)
            {
                break;
            }

            if (i > kept[^1])
            {
                kept.Add(i);
            }
        }

        kept.Add(last);
        var falsePositiveRates = new double[kept.Count];
        var truePositiveRates = new double[kept.Count];
        var thresholds = new double[kept.Count];
        for (int j = 0; j < kept.Count; j++)
        {
            falsePositiveRates[j] = FalsePositiveRates[kept[j]];
            truePositiveRates[j] = TruePositiveRates[kept[j]];
            thresholds[j] = Thresholds[kept[j]];
        }

        return new RocCurve(falsePositiveRates, truePositiveRates, thresholds);
    }

    private static double TrapezoidArea(double[] x, double[] y)
    {
        double area = 0;
        for (int i = 1; i < x.Length; i++)
        {
            area += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2;
        }

        return area;
    }
}
