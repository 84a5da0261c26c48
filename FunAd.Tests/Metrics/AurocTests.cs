using FunAd.Engine.Metrics;

namespace FunAd.Tests.Metrics;

public class AurocTests
{
    [Fact]
    public void Hand_case_counts_three_of_four_pairs()
    {
        // Positives 0.35, 0.8 vs negatives 0.1, 0.4: only 0.35 < 0.4 is misordered.
        double auroc = Auroc.Compute([0.1f, 0.4f, 0.35f, 0.8f], [false, false, true, true]);

        Assert.Equal(0.75, auroc, 12);
    }

    [Fact]
    public void Tied_pair_counts_half()
    {
        // Pairs (0.9,0.5)=1, (0.9,0.2)=1, (0.5,0.5)=0.5, (0.5,0.2)=1 -> 3.5 / 4.
        double auroc = Auroc.Compute([0.5f, 0.5f, 0.2f, 0.9f], [true, false, false, true]);

        Assert.Equal(0.875, auroc, 12);
    }

    [Fact]
    public void All_scores_tied_gives_one_half()
    {
        double auroc = Auroc.Compute([0.3f, 0.3f, 0.3f, 0.3f, 0.3f], [true, false, false, true, false]);

        Assert.Equal(0.5, auroc, 12);
    }

    [Fact]
    public void Perfect_and_inverted_detectors_give_one_and_zero()
    {
        bool[] labels = [false, false, true, true, true];

        Assert.Equal(1.0, Auroc.Compute([0.1f, 0.2f, 0.7f, 0.8f, 0.9f], labels), 12);
        Assert.Equal(0.0, Auroc.Compute([0.9f, 0.8f, 0.3f, 0.2f, 0.1f], labels), 12);
    }

    [Fact]
    public void Infinite_scores_rank_like_any_other()
    {
        double auroc = Auroc.Compute(
            [float.NegativeInfinity, 0f, float.PositiveInfinity], [false, true, true]);

        Assert.Equal(1.0, auroc, 12);
    }

    [Fact]
    public void No_positives_throws()
    {
        var error = Assert.Throws<ArgumentException>(() => Auroc.Compute([0.1f, 0.2f], [false, false]));

        Assert.Contains("no positive", error.Message);
    }

    [Fact]
    public void No_negatives_throws()
    {
        var error = Assert.Throws<ArgumentException>(() => Auroc.Compute([0.1f, 0.2f], [true, true]));

        Assert.Contains("no negative", error.Message);
    }

    [Fact]
    public void Length_mismatch_throws()
    {
        var error = Assert.Throws<ArgumentException>(() => Auroc.Compute([0.1f, 0.2f, 0.3f], [true, false]));

        Assert.Contains("one to one", error.Message);
    }

    [Fact]
    public void NaN_score_throws()
    {
        var error = Assert.Throws<ArgumentException>(() => Auroc.Compute([0.1f, float.NaN], [true, false]));

        Assert.Contains("scores[1] is NaN", error.Message);
    }

    [Fact]
    public void Matches_brute_force_pair_count_on_random_scores_with_ties()
    {
        var random = new Random(20240611);
        var scores = new float[200];
        var labels = new bool[200];
        for (int i = 0; i < scores.Length; i++)
        {
            // Twenty levels over 200 samples forces many ties, within and across classes.
            scores[i] = random.Next(20) / 20f;
            labels[i] = random.NextDouble() < 0.4;
        }

        double expected = BruteForceAuroc(scores, labels);

        Assert.InRange(expected, 0.01, 0.99);
        Assert.Equal(expected, RocCurve.Compute(scores, labels).Auc, 12);
        Assert.Equal(expected, Auroc.Compute(scores, labels), 12);
    }

    private static double BruteForceAuroc(float[] scores, bool[] labels)
    {
        double wins = 0;
        long pairs = 0;
        for (int p = 0; p < scores.Length; p++)
        {
            if (!labels[p])
            {
                continue;
            }

            for (int n = 0; n < scores.Length; n++)
            {
                if (labels[n])
                {
                    continue;
                }

                pairs++;
                wins += scores[p] > scores[n] ? 1 : scores[p] == scores[n] ? 0.5 : 0;
            }
        }

        return wins / pairs;
    }
}
