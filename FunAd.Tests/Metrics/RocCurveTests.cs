using FunAd.Engine.Metrics;

namespace FunAd.Tests.Metrics;

public class RocCurveTests
{
    [Fact]
    public void Points_on_a_small_case_are_exact()
    {
        var curve = RocCurve.Compute([0.1f, 0.4f, 0.35f, 0.8f], [false, false, true, true]);

        Assert.Equal([0, 0, 0.5, 0.5, 1], curve.FalsePositiveRates);
        Assert.Equal([0, 0.5, 0.5, 1, 1], curve.TruePositiveRates);
        Assert.Equal([double.PositiveInfinity, 0.8f, 0.4f, 0.35f, 0.1f], curve.Thresholds);
        Assert.Equal(0.75, curve.Auc, 12);
    }

    [Fact]
    public void Tied_scores_make_one_diagonal_step()
    {
        // 0.5 is shared by a positive and a negative: both rates move at once.
        var curve = RocCurve.Compute([0.5f, 0.5f, 0.2f, 0.9f], [true, false, false, true]);

        Assert.Equal([0, 0, 0.5, 1], curve.FalsePositiveRates);
        Assert.Equal([0, 0.5, 1, 1], curve.TruePositiveRates);
        Assert.Equal([double.PositiveInfinity, 0.9f, 0.5f, 0.2f], curve.Thresholds);
        Assert.Equal(0.875, curve.Auc, 12);
    }

    [Fact]
    public void Perfect_and_inverted_detectors_give_one_and_zero()
    {
        bool[] labels = [false, true, false, true];

        Assert.Equal(1.0, RocCurve.Compute([0.1f, 0.9f, 0.2f, 0.8f], labels).Auc, 12);
        Assert.Equal(0.0, RocCurve.Compute([0.9f, 0.1f, 0.8f, 0.2f], labels).Auc, 12);
    }

    [Fact]
    public void No_positives_throws()
    {
        var error = Assert.Throws<ArgumentException>(() => RocCurve.Compute([0.1f, 0.2f], [false, false]));

        Assert.Contains("no positive", error.Message);
    }

    [Fact]
    public void No_negatives_throws()
    {
        var error = Assert.Throws<ArgumentException>(() => RocCurve.Compute([0.1f, 0.2f], [true, true]));

        Assert.Contains("no negative", error.Message);
    }

    [Fact]
    public void Length_mismatch_throws()
    {
        Assert.Throws<ArgumentException>(() => RocCurve.Compute([0.1f, 0.2f], [true, false, true]));
    }

    [Fact]
    public void NaN_score_throws()
    {
        Assert.Throws<ArgumentException>(() => RocCurve.Compute([float.NaN, 0.2f], [true, false]));
    }

    [Fact]
    public void Downsample_keeps_ends_and_stays_within_the_budget()
    {
        var curve = RandomCurve(seed: 7, samples: 5000);
        Assert.True(curve.Count > 1000);

        var small = curve.Downsample(50);

        Assert.InRange(small.Count, 40, 50);
        Assert.Equal((0.0, 0.0, double.PositiveInfinity),
            (small.FalsePositiveRates[0], small.TruePositiveRates[0], small.Thresholds[0]));
        Assert.Equal((1.0, 1.0, curve.Thresholds[^1]),
            (small.FalsePositiveRates[^1], small.TruePositiveRates[^1], small.Thresholds[^1]));
    }

    [Fact]
    public void Downsample_takes_points_of_the_original_curve_in_order()
    {
        var curve = RandomCurve(seed: 11, samples: 3000);

        var small = curve.Downsample(20);

        int j = 0;
        for (int k = 0; k < small.Count; k++)
        {
            while (curve.Thresholds[j] != small.Thresholds[k])
            {
                j++;
            }

            Assert.Equal(curve.FalsePositiveRates[j], small.FalsePositiveRates[k]);
            Assert.Equal(curve.TruePositiveRates[j], small.TruePositiveRates[k]);
        }

        Assert.InRange(Math.Abs(curve.Auc - small.Auc), 0, 0.01);
    }

    [Fact]
    public void Downsample_keeps_a_large_jump_that_index_spacing_would_skip()
    {
        // 999 negatives with distinct low scores, then 100 positives tied at the top: the curve
        // jumps to TPR 1 in its second point, which an even pick by index would drop.
        var scores = new float[1099];
        var labels = new bool[1099];
        for (int i = 0; i < 999; i++)
        {
            scores[i] = i / 1000f;
        }

        for (int i = 999; i < 1099; i++)
        {
            scores[i] = 2f;
            labels[i] = true;
        }

        var small = RocCurve.Compute(scores, labels).Downsample(10);

        Assert.Equal(0.0, small.FalsePositiveRates[1]);
        Assert.Equal(1.0, small.TruePositiveRates[1]);
        Assert.Equal(1.0, small.Auc, 12);
    }

    [Fact]
    public void Downsample_returns_a_small_curve_unchanged()
    {
        var curve = RocCurve.Compute([0.1f, 0.4f, 0.35f, 0.8f], [false, false, true, true]);

        Assert.Same(curve, curve.Downsample(5));
        Assert.Equal(3, curve.Downsample(3).Count);
    }

    [Fact]
    public void Downsample_below_two_points_throws()
    {
        var curve = RocCurve.Compute([0.1f, 0.8f], [false, true]);

        Assert.Throws<ArgumentOutOfRangeException>(() => curve.Downsample(1));
    }

    private static RocCurve RandomCurve(int seed, int samples)
    {
        var random = new Random(seed);
        var scores = new float[samples];
        var labels = new bool[samples];
        for (int i = 0; i < samples; i++)
        {
            labels[i] = random.NextDouble() < 0.3;
            scores[i] = (float)(random.NextDouble() + (labels[i] ? 0.4 : 0));
        }

        return RocCurve.Compute(scores, labels);
    }
}
