using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Scoring;

namespace FunAd.Tests.Scoring;

public sealed class RunMetricsTests
{
    private static ScoredImage Image(long id, double score, ImageLabel label = ImageLabel.Unlabeled, Verdict? verdict = null) =>
        new(id, $"{id}.png", score, label, null, false, verdict, false, 10, 10);

    [Fact]
    public void Without_ground_truth_only_band_counts_are_given_and_the_reason_is_said()
    {
        var metrics = RunMetrics.Compute([Image(1, 0.1), Image(2, 0.5), Image(3, 0.9)], low: 0.4, high: 0.8);

        Assert.Equal((1, 1, 1), (metrics.Ok, metrics.Review, metrics.Ng));
        Assert.Null(metrics.ImageAuroc);
        Assert.Empty(metrics.Roc);
        Assert.Null(metrics.Confusion);
        Assert.Contains("No ground truth yet", metrics.Missing);
    }

    [Fact]
    public void One_kind_of_ground_truth_is_not_enough_for_a_roc()
    {
        var metrics = RunMetrics.Compute([Image(1, 0.1, ImageLabel.Normal), Image(2, 0.9, ImageLabel.Normal)], 0.5, 0.5);

        Assert.Null(metrics.ImageAuroc);
        Assert.Contains("mark at least one defect", metrics.Missing);
    }

    [Fact]
    public void Verdicts_override_labels_and_feed_auroc_f1_and_the_confusion_matrix()
    {
        List<ScoredImage> images =
        [
            Image(1, 0.95, ImageLabel.Anomalous), Image(2, 0.80, ImageLabel.Normal), Image(3, 0.60, ImageLabel.Anomalous),
            Image(4, 0.30, ImageLabel.Normal), Image(5, 0.20), Image(6, 0.10, ImageLabel.Normal),
        ];
        var byLabels = RunMetrics.Compute(images, 0.5, 0.7);
        // Pairs (defect, normal): 1 beats all three normals, 3 beats two of them: 5 of 6.
        Assert.Equal(5.0 / 6, byLabels.ImageAuroc!.Value, 9);
        Assert.Equal(new ConfusionMatrix(1, 1, 1, 2), byLabels.Confusion);
        Assert.Equal(5, byLabels.Labelled);

        images[1] = images[1] with { Verdict = Verdict.Defect };
        images[4] = images[4] with { Verdict = Verdict.Normal };
        var byVerdicts = RunMetrics.Compute(images, 0.5, 0.7);
        // Defects 0.95, 0.80, 0.60 against normals 0.30, 0.20, 0.10: perfectly separated.
        Assert.Equal(1.0, byVerdicts.ImageAuroc!.Value, 9);
        Assert.Equal(1.0, byVerdicts.F1Max!.Value, 9);
        Assert.Equal(6, byVerdicts.Labelled);
        Assert.Equal(new ConfusionMatrix(2, 1, 0, 3), byVerdicts.Confusion);
        Assert.Equal((0.0, 0.0), byVerdicts.Roc[0]);
        Assert.Equal((1.0, 1.0), byVerdicts.Roc[^1]);
    }

    [Theory]
    [InlineData(0.69, ScoreBand.Review)]
    [InlineData(0.70, ScoreBand.Ng)]
    [InlineData(0.49, ScoreBand.Ok)]
    [InlineData(0.50, ScoreBand.Review)]
    public void Bands_include_their_lower_threshold(double score, ScoreBand band) => Assert.Equal(band, ScoreBands.Of(score, 0.5, 0.7));
}
