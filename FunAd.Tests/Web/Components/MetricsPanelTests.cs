using Bunit;
using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Scoring;
using FunAd.Web.Components.Review;
using static FunAd.Tests.Web.Components.ReviewData;

namespace FunAd.Tests.Web.Components;

public sealed class MetricsPanelTests : ReviewComponentTest
{
    // Ground truth: four defects (one by verdict only), six normals (one by a verdict over a defective label), one image without any.
    private static readonly IReadOnlyList<ScoredImage> Labelled =
    [
        Image(1, 0.95),
        Image(2, 0.9, ImageLabel.Anomalous), Image(3, 0.8, ImageLabel.Normal), Image(4, 0.7, ImageLabel.Anomalous),
        Image(5, 0.5, ImageLabel.Anomalous, Verdict.Normal), Image(6, 0.4, ImageLabel.Anomalous), Image(7, 0.35, verdict: Verdict.Defect),
        Image(8, 0.3, ImageLabel.Normal), Image(9, 0.2, ImageLabel.Normal), Image(10, 0.1, ImageLabel.Normal), Image(11, 0.4, ImageLabel.Normal),
    ];

    /// <summary>AUROC as the share of (defect, normal) pairs the score orders right, ties counting half.</summary>
    private static double PairwiseAuroc(IEnumerable<(double Score, bool Defect)> truth)
    {
        var list = truth.ToList();
        var defects = list.Where(t => t.Defect).Select(t => t.Score).ToList();
        var normals = list.Where(t => !t.Defect).Select(t => t.Score).ToList();
        var wins = defects.Sum(d => normals.Sum(n => d > n ? 1.0 : d == n ? 0.5 : 0));
        return wins / (defects.Count * normals.Count);
    }

    [Fact]
    public void Without_ground_truth_it_says_what_is_needed_and_draws_no_roc()
    {
        var state = new ReviewState(Run(), [Image(1, 0.9), Image(2, 0.4), Image(3, 0.1)]);

        var cut = Context.Render<MetricsPanel>(p => p.Add(x => x.State, state));

        Assert.Contains("No ground truth yet", cut.Find("#metrics-missing").TextContent);
        Assert.Empty(cut.FindAll("#roc-chart"));
        Assert.Empty(cut.FindAll("#confusion-matrix"));
        Assert.Equal("—", cut.Find("#metric-auroc").TextContent);
        Assert.Equal("—", cut.Find("#metric-f1").TextContent.Trim());
        Assert.NotNull(cut.Find("#score-histogram"));
    }

    [Fact]
    public void The_charts_say_whether_the_metrics_are_in_sample_or_held_out()
    {
        var trainedOnAll = Context.Render<MetricsPanel>(p => p.Add(x => x.State, new ReviewState(Run(), Labelled.ToList())));
        var heldOut = Run();
        heldOut.HoldOutLabelled = true;
        var measured = Context.Render<MetricsPanel>(p => p.Add(x => x.State, new ReviewState(heldOut, Labelled.ToList())));

        Assert.Equal("in-sample", trainedOnAll.Find("#evaluation-kind").TextContent.Trim());
        Assert.Contains("flatter", trainedOnAll.Find("#evaluation-note").TextContent);
        Assert.Equal("held out", measured.Find("#evaluation-kind").TextContent.Trim());
        Assert.Contains("Out-of-sample", measured.Find("#evaluation-note").TextContent);
    }

    [Fact]
    public void With_normals_only_it_asks_for_a_defect()
    {
        var state = new ReviewState(Run(), [Image(1, 0.9, ImageLabel.Normal), Image(2, 0.4, verdict: Verdict.Normal), Image(3, 0.1)]);

        var cut = Context.Render<MetricsPanel>(p => p.Add(x => x.State, state));

        Assert.Equal("All 2 images with ground truth are normal: mark at least one defect to see ROC and AUROC.", cut.Find("#metrics-missing").TextContent.Trim());
        Assert.Empty(cut.FindAll("#roc-chart"));
    }

    [Fact]
    public void With_ground_truth_the_auroc_is_the_share_of_pairs_ordered_right()
    {
        var state = new ReviewState(Run(), Labelled);
        var expected = PairwiseAuroc(Labelled.Where(i => i.IsDefect is not null).Select(i => (i.Score, i.IsDefect == true)));
        Assert.InRange(expected, 0.55, 0.95);

        var cut = Context.Render<MetricsPanel>(p => p.Add(x => x.State, state));

        Assert.Equal(expected.ToString("F4"), cut.Find("#metric-auroc").TextContent);
        Assert.Empty(cut.FindAll("#metrics-missing"));
        Assert.NotNull(cut.Find("#roc-chart"));
        Assert.NotNull(cut.Find($"polyline[data-series='ROC (AUROC {expected:F4})']"));
        Assert.Equal("Image level, over 10 images with ground truth (4 defective, 6 normal): verdicts first, then uploaded labels.", cut.Find("#ground-truth-count").TextContent.Trim());
    }

    [Fact]
    public void The_confusion_matrix_counts_ground_truth_at_the_ng_threshold()
    {
        var state = new ReviewState(Run(low: 0.3, high: 0.6), Labelled);

        var cut = Context.Render<MetricsPanel>(p => p.Add(x => x.State, state));

        // At 0.6: defects 0.9 and 0.7 flagged, 0.4 and 0.35 passed; the normal 0.8 flagged, five passed; the unlabelled 0.95 is not counted.
        Assert.Equal(("2", "2", "1", "5"), (cut.Find("#confusion-tp").TextContent, cut.Find("#confusion-fn").TextContent,
            cut.Find("#confusion-fp").TextContent, cut.Find("#confusion-tn").TextContent));
        Assert.Contains("At the NG threshold 0.6", cut.Markup);

        state.SetThresholds(0.3, 0.38);
        cut.Render();

        Assert.Equal(("3", "1", "3", "3"), (cut.Find("#confusion-tp").TextContent, cut.Find("#confusion-fn").TextContent,
            cut.Find("#confusion-fp").TextContent, cut.Find("#confusion-tn").TextContent));
    }

    [Fact]
    public void Pixel_metrics_come_from_the_run_when_masks_were_uploaded()
    {
        var run = Run();
        run.Outcome.PixelAuroc = 0.912345;
        run.Outcome.Aupro = 0.5;
        run.Outcome.MaskedImages = 3;

        var cut = Context.Render<MetricsPanel>(p => p.Add(x => x.State, new ReviewState(run, Labelled)));

        Assert.Equal("0.9123", cut.Find("#metric-pixel-auroc").TextContent);
        Assert.Equal("0.5000", cut.Find("#metric-aupro").TextContent);
        Assert.Contains("over 3 images with masks", cut.Find("#metrics-table").TextContent);
    }

    [Fact]
    public void Pixel_metrics_are_a_dash_without_masks()
    {
        var cut = Context.Render<MetricsPanel>(p => p.Add(x => x.State, new ReviewState(Run(), Labelled)));

        Assert.Equal("—", cut.Find("#metric-pixel-auroc").TextContent);
        Assert.Equal("—", cut.Find("#metric-aupro").TextContent);
        Assert.Contains("needs uploaded ground-truth masks", cut.Find("#metrics-table").TextContent);
    }
}
