using FunAd.Engine.Metrics;

namespace FunAd.Tests.Metrics;

public class F1MaxTests
{
    [Fact]
    public void Hand_case_finds_best_threshold()
    {
        // P = 2. Thresholds 0.8: TP1 FP0 -> 2/3; 0.4: TP1 FP1 -> 1/2; 0.35: TP2 FP1 -> 4/5;
        // 0.1: TP2 FP2 -> 2/3.
        var (f1, threshold) = F1Max.Compute([0.1f, 0.4f, 0.35f, 0.8f], [false, false, true, true]);

        Assert.Equal(0.8, f1, 12);
        Assert.Equal(0.35f, threshold);
    }

    [Fact]
    public void Tied_scores_are_one_point()
    {
        // 0.7 is shared by two positives and a negative. Taken together: TP2 FP2 -> 4/6. Splitting
        // the tie (positives first) would report TP2 FP1 -> 4/5, which no threshold achieves.
        var (f1, threshold) = F1Max.Compute([0.7f, 0.7f, 0.7f, 0.2f, 0.9f], [true, false, true, false, false]);

        Assert.Equal(2.0 / 3, f1, 12);
        Assert.Equal(0.7f, threshold);
    }

    [Fact]
    public void Tie_handling_does_not_depend_on_input_order()
    {
        // Three positives and three negatives tie at 0.7 under three negatives at 0.9: P = 3, so
        // 0.9 -> 0 and 0.7 -> TP3 FP6 -> 6/12. Any split of the tie reaches a prefix scoring more
        // (e.g. TP3 FP5 -> 6/11), whichever order the sort leaves the tied samples in.
        var random = new Random(5);
        for (int shuffle = 0; shuffle < 20; shuffle++)
        {
            // Sample k: positive for k < 3, scored 0.7 for k < 6 and 0.9 otherwise.
            int[] order = [0, 1, 2, 3, 4, 5, 6, 7, 8];
            random.Shuffle(order);
            var scores = order.Select(k => k < 6 ? 0.7f : 0.9f).ToArray();
            var labels = order.Select(k => k < 3).ToArray();

            var (f1, threshold) = F1Max.Compute(scores, labels);

            Assert.Equal(0.5, f1, 12);
            Assert.Equal(0.7f, threshold);
        }
    }

    [Fact]
    public void Perfect_detector_reaches_one_at_the_lowest_positive_score()
    {
        var (f1, threshold) = F1Max.Compute([0.2f, 0.6f, 0.9f, 0.1f], [false, true, true, false]);

        Assert.Equal(1.0, f1, 12);
        Assert.Equal(0.6f, threshold);
    }

    [Fact]
    public void Equal_f1_prefers_the_higher_threshold()
    {
        // 0.9: TP1 FP0 -> 2/3; 0.5: TP2 FP2 -> 2/3; 0.1: TP2 FP3 -> 4/7.
        var (f1, threshold) = F1Max.Compute(
            [0.9f, 0.5f, 0.5f, 0.5f, 0.1f], [true, true, false, false, false]);

        Assert.Equal(2.0 / 3, f1, 12);
        Assert.Equal(0.9f, threshold);
    }

    [Fact]
    public void Matches_brute_force_over_every_score_on_random_data()
    {
        var random = new Random(99);
        var scores = new float[200];
        var labels = new bool[200];
        for (int i = 0; i < scores.Length; i++)
        {
            labels[i] = random.NextDouble() < 0.3;
            scores[i] = random.Next(30) / 30f + (labels[i] ? 0.2f : 0);
        }

        double bestF1 = 0;
        float bestThreshold = float.PositiveInfinity;
        foreach (float candidate in scores)
        {
            int truePositives = 0, flagged = 0, positives = 0;
            for (int i = 0; i < scores.Length; i++)
            {
                positives += labels[i] ? 1 : 0;
                if (scores[i] >= candidate)
                {
                    flagged++;
                    truePositives += labels[i] ? 1 : 0;
                }
            }

            double precision = (double)truePositives / flagged;
            double recall = (double)truePositives / positives;
            double f1 = truePositives == 0 ? 0 : 2 * precision * recall / (precision + recall);
            if (f1 > bestF1 + 1e-12 || (Math.Abs(f1 - bestF1) <= 1e-12 && candidate > bestThreshold))
            {
                bestF1 = f1;
                bestThreshold = candidate;
            }
        }

        var (actualF1, actualThreshold) = F1Max.Compute(scores, labels);

        Assert.Equal(bestF1, actualF1, 12);
        Assert.Equal(bestThreshold, actualThreshold);
    }

    [Fact]
    public void No_positives_throws()
    {
        var error = Assert.Throws<ArgumentException>(() => F1Max.Compute([0.1f, 0.2f], [false, false]));

        Assert.Contains("no positive", error.Message);
    }

    [Fact]
    public void Length_mismatch_throws()
    {
        Assert.Throws<ArgumentException>(() => F1Max.Compute([0.1f], [true, false]));
    }
}
