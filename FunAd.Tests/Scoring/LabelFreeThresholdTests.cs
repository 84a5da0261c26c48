using FunAd.Engine.Metrics;

namespace FunAd.Tests.Scoring;

public sealed class LabelFreeThresholdTests
{
    [Fact]
    public void Sits_three_robust_deviations_above_the_median_and_says_so()
    {
        // Median 5, absolute deviations 0,1,1,2,2 -> MAD 1 -> sigma 1.4826.
        var (threshold, rule) = LabelFreeThreshold.Suggest([3f, 4f, 5f, 6f, 7f]);

        Assert.Equal(5 + 3 * 1.4826, threshold, 6);
        Assert.Contains("median", rule);
        Assert.Contains("MAD", rule);
    }

    [Fact]
    public void A_minority_of_high_scores_barely_moves_it()
    {
        var normal = Enumerable.Range(0, 90).Select(i => 1f + i % 10 * 0.01f).ToList();
        var (clean, _) = LabelFreeThreshold.Suggest(normal);
        var (contaminated, _) = LabelFreeThreshold.Suggest([.. normal, .. Enumerable.Repeat(50f, 10)]);

        // The normal scores span 1.00..1.09; ten outliers at 50 move the threshold by a few hundredths,
        // where mean + 3 standard deviations would jump past 40.
        Assert.InRange(contaminated - clean, 0, 0.05);
        var all = normal.Concat(Enumerable.Repeat(50f, 10)).Select(v => (double)v).ToList();
        var mean = all.Average();
        var naive = mean + 3 * Math.Sqrt(all.Sum(v => (v - mean) * (v - mean)) / all.Count);
        Assert.True(naive > 40 && contaminated < 1.3, $"naive {naive}, robust {contaminated}");
    }

    [Fact]
    public void Refuses_no_scores() => Assert.Throws<ArgumentException>(() => LabelFreeThreshold.Suggest([]));
}
