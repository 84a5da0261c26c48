using System.Globalization;
using Bunit;
using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Scoring;
using FunAd.Web.Components.Charts;
using FunAd.Web.Components.Review;
using static FunAd.Tests.Web.Components.ReviewData;

namespace FunAd.Tests.Web.Components;

public sealed class ReviewChartTests : BunitContext
{
    public ReviewChartTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    private static double Number(AngleSharp.Dom.IElement element, string attribute) =>
        double.Parse(element.GetAttribute(attribute)!, CultureInfo.InvariantCulture);

    private static List<string> Legends(IRenderedComponent<ScoreHistogram> cut) =>
        cut.FindAll("text.funad-chart-legend").Select(t => t.TextContent).ToList();

    // Scores from 0.05 to 0.95 give the histogram an axis of exactly 0..1; ten bins of 0.1 each.
    // Ground truth: 0.55 and 0.95 labelled defective, two 0.85 marked defect, one 0.85 labelled defective but reviewed normal.
    private static readonly IReadOnlyList<ScoredImage> HistogramImages =
    [
        Image(1, 0.05, ImageLabel.Normal),
        Image(2, 0.15, ImageLabel.Normal), Image(3, 0.15, ImageLabel.Normal), Image(4, 0.15),
        Image(5, 0.55, ImageLabel.Anomalous),
        Image(6, 0.85, verdict: Verdict.Defect), Image(7, 0.85, ImageLabel.Normal, Verdict.Defect),
        Image(8, 0.85, ImageLabel.Anomalous, Verdict.Normal), Image(9, 0.85),
        Image(10, 0.95, ImageLabel.Anomalous),
    ];

    // Plot: x from 48 to 624 (576 px for 0..1); the fullest bin (4) sets the count axis to 0..4 over 204 px, 51 px an image.
    private static double BinX(int bin) => 48 + bin * 57.6;

    [Fact]
    public void The_histogram_puts_every_image_in_its_bin()
    {
        var cut = Render<ScoreHistogram>(p => p.Add(x => x.Images, HistogramImages).Add(x => x.Low, 0.3).Add(x => x.High, 0.6).Add(x => x.Bins, 10));

        var bins = cut.FindAll("rect.funad-bin");
        Assert.Equal(10, bins.Count);
        Assert.Equal(Enumerable.Range(0, 10).Select(BinX), bins.Select(b => Number(b, "x")), new ToleranceComparer(0.01));
        var counts = bins.Select(b => Number(b, "height") / 51).ToList();
        Assert.Equal(new double[] { 1, 3, 0, 0, 0, 1, 0, 0, 4, 1 }, counts, new ToleranceComparer(1e-6));
        Assert.Equal(HistogramImages.Count, counts.Sum(), 6);
    }

    [Fact]
    public void The_histogram_stacks_defects_by_verdict_then_label_over_their_bins()
    {
        var cut = Render<ScoreHistogram>(p => p.Add(x => x.Images, HistogramImages).Add(x => x.Low, 0.3).Add(x => x.High, 0.6).Add(x => x.Bins, 10));

        var defects = cut.FindAll("rect.funad-bin-defect");
        // Bin 5: the labelled 0.55; bin 8: the two 0.85 marked defect (not the one reviewed normal, not the unlabelled one); bin 9: 0.95.
        Assert.Equal(new[] { BinX(5), BinX(8), BinX(9) }, defects.Select(d => Number(d, "x")), new ToleranceComparer(0.01));
        Assert.Equal(new double[] { 1, 2, 1 }, defects.Select(d => Number(d, "height") / 51), new ToleranceComparer(1e-6));
    }

    [Fact]
    public void The_histogram_draws_the_thresholds_where_they_are_and_moves_them_with_the_thresholds()
    {
        var cut = Render<ScoreHistogram>(p => p.Add(x => x.Images, HistogramImages).Add(x => x.Low, 0.3).Add(x => x.High, 0.6).Add(x => x.Bins, 10));

        Assert.Equal(48 + 0.3 * 576, Number(cut.Find("#histogram-low"), "x1"), 2);
        Assert.Equal(48 + 0.6 * 576, Number(cut.Find("#histogram-high"), "x1"), 2);
        Assert.Equal(["NG ≥ 0.6", "review ≥ 0.3"], Legends(cut));

        cut.Render(p => p.Add(x => x.Low, 0.4).Add(x => x.High, 0.8));

        Assert.Equal(48 + 0.4 * 576, Number(cut.Find("#histogram-low"), "x1"), 2);
        Assert.Equal(48 + 0.8 * 576, Number(cut.Find("#histogram-high"), "x1"), 2);
        Assert.Equal(["NG ≥ 0.8", "review ≥ 0.4"], Legends(cut));
    }

    [Fact]
    public async Task Dragging_a_threshold_handle_reports_the_score_under_the_pointer_and_the_suggestion_is_drawn()
    {
        var drags = new List<ThresholdDrag>();
        var cut = Render<ScoreHistogram>(p => p.Add(x => x.Images, HistogramImages).Add(x => x.Low, 0.3).Add(x => x.High, 0.6).Add(x => x.Bins, 10)
            .Add(x => x.Suggested, 0.5).Add(x => x.OnDrag, d => drags.Add(d)));

        Assert.Equal(48 + 0.5 * 576, Number(cut.Find("#histogram-suggested"), "x1"), 2);
        Assert.NotNull(cut.Find("#handle-high[data-handle='high']"));
        await cut.InvokeAsync(() => cut.Instance.Dragged("high", 48 + 0.75 * 576, done: false));
        await cut.InvokeAsync(() => cut.Instance.Dragged("low", 0, done: true));

        Assert.Equal(2, drags.Count);
        Assert.Equal((false, 0.75, false), (drags[0].IsLow, Math.Round(drags[0].Value, 6), drags[0].Done));
        // Past the axis, the value stops at its end.
        Assert.Equal((true, 0.0, true), (drags[1].IsLow, drags[1].Value, drags[1].Done));
    }

    [Fact]
    public void A_histogram_without_a_drag_handler_has_no_handles()
    {
        var cut = Render<ScoreHistogram>(p => p.Add(x => x.Images, HistogramImages).Add(x => x.Low, 0.3).Add(x => x.High, 0.6));

        Assert.Empty(cut.FindAll("[data-handle]"));
        Assert.Empty(cut.FindAll("#histogram-suggested"));
    }

    [Fact]
    public void The_histogram_of_no_images_has_empty_bins_and_still_shows_the_thresholds()
    {
        var cut = Render<ScoreHistogram>(p => p.Add(x => x.Images, []).Add(x => x.Low, 0.5).Add(x => x.High, 0.5));

        Assert.Equal(40, cut.FindAll("rect.funad-bin").Count);
        Assert.All(cut.FindAll("rect.funad-bin"), b => Assert.Equal("0", b.GetAttribute("height")));
        Assert.NotNull(cut.Find("#histogram-high"));
        Assert.Equal(["NG ≥ 0.5"], Legends(cut));
    }

    [Fact]
    public void The_roc_chart_draws_every_point_on_fixed_unit_axes_with_the_auroc_in_the_legend()
    {
        IReadOnlyList<(double, double)> points = [(0, 0), (0, 0.5), (0.25, 0.75), (0.5, 1), (1, 1)];
        var cut = Render<RocChart>(p => p.Add(x => x.Points, points).Add(x => x.Auroc, 0.875));

        var roc = cut.Find("polyline[data-series='ROC (AUROC 0.8750)']");
        // The plot spans x 56..624 and y 278..28: (0.25, 0.75) lands at (198, 90.5).
        Assert.Equal("56,278 56,153 198,90.5 340,28 624,28", roc.GetAttribute("points"));
        Assert.Equal("56,278 624,28", cut.Find("polyline[data-series='chance']").GetAttribute("points"));
        Assert.Contains(cut.FindAll(".funad-chart-legend"), l => l.TextContent == "ROC (AUROC 0.8750)");
        Assert.Equal("roc-chart", cut.Find("svg").Id);
    }

    [Fact]
    public void The_roc_axes_stay_at_zero_to_one_whatever_the_points_cover()
    {
        IReadOnlyList<(double, double)> points = [(0.1, 0.2), (0.2, 0.4), (0.4, 0.6)];
        var cut = Render<RocChart>(p => p.Add(x => x.Points, points).Add(x => x.Auroc, 0.61234));

        Assert.Equal("112.8,228 169.6,178 283.2,128", cut.Find("polyline[data-series='ROC (AUROC 0.6123)']").GetAttribute("points"));
        var labels = cut.FindAll("text.funad-chart-label").Select(t => t.TextContent).ToList();
        Assert.Equal(["0", "0.2", "0.4", "0.6", "0.8", "1", "0", "0.2", "0.4", "0.6", "0.8", "1"], labels);
    }

    [Fact]
    public void A_line_chart_without_ranges_fits_nice_axes_to_the_data_and_skips_points_that_are_not_numbers()
    {
        var series = new LineSeries("loss", "#000", [(1, 37), (4, double.NaN), (10, 0)]);
        var cut = Render<SvgLineChart>(p => p.Add(x => x.Series, [series, new LineSeries("empty", "#111", [])]).Add(x => x.XTitle, "epoch"));

        // x 1..10 becomes 0..10 by 2; y 0..37 becomes 0..40 by 10.
        var labels = cut.FindAll("text.funad-chart-label").Select(t => t.TextContent).ToList();
        Assert.Equal(["0", "10", "20", "30", "40", "0", "2", "4", "6", "8", "10"], labels);
        var line = Assert.Single(cut.FindAll("polyline.funad-chart-line"));
        Assert.Equal("loss", line.GetAttribute("data-series"));
        Assert.Equal(2, line.GetAttribute("points")!.Split(' ').Length);
        // Both series have a legend entry, the empty one too.
        Assert.Equal(["loss", "empty"], cut.FindAll("text.funad-chart-legend").Select(t => t.TextContent));
        Assert.Contains(cut.FindAll("text.funad-chart-title"), t => t.TextContent == "epoch");
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
