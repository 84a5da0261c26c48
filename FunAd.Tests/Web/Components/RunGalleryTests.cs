using Bunit;
using FunAd.Jobs.Catalogue;
using FunAd.Web.Components.Review;
using MudBlazor;
using static FunAd.Tests.Web.Components.ReviewData;

namespace FunAd.Tests.Web.Components;

/// <summary>
/// The gallery of a run. Its filters are MudSelects bound to private fields; they are driven through
/// MudSelect's own public <c>SelectOption</c>, which is what picking an item of the open list calls,
/// so the binding, the re-render and <see cref="RunGallery.Filtered"/> are all exercised without
/// depending on the popover's markup.
/// </summary>
public sealed class RunGalleryTests : ReviewComponentTest
{
    // Stored in an order that is not the score order; thresholds 0.3 / 0.6.
    private static readonly IReadOnlyList<SeedImage> Seeds =
    [
        new("b.png", 0.45, ImageLabel.Normal),
        new("a.png", 0.95, ImageLabel.Anomalous, Verdict.Defect, Heatmap: true, DefectType: "crack"),
        new("c.png", 0.1, ImageLabel.Normal, Verdict.Normal, Heatmap: true),
        new("d.png", 0.7, Heatmap: true),
        new("e.png", 0.35, ImageLabel.Anomalous, DefectType: "scratch"),
        new("f.png", 0.2),
        new("g.png", 0.62, ImageLabel.Normal, Verdict.Defect),
    ];

    private async Task<(IRenderedComponent<RunGallery> Cut, ReviewState State)> RenderAsync(IReadOnlyList<SeedImage>? seeds = null, Action<TrainingRun>? configure = null)
    {
        var (run, _) = await SeedRunAsync(Catalogue, seeds ?? Seeds, configure: configure);
        var state = new ReviewState(run, await Results.ListAsync(run.Id));
        var cut = Context.Render<RunGallery>(p => p.Add(x => x.State, state));
        return (cut, state);
    }

    private static List<string> TileNames(IRenderedComponent<RunGallery> cut) =>
        cut.FindAll(".funad-gallery-tile .funad-tile-name").Select(t => t.TextContent).ToList();

    private static async Task FilterAsync(IRenderedComponent<RunGallery> cut, string label, string value)
    {
        var select = cut.FindComponents<MudSelect<string>>().Single(s => s.Instance.Label == label);
        await cut.InvokeAsync(() => select.Instance.SelectOption(value));
    }

    [Fact]
    public async Task Tiles_come_highest_score_first_with_a_badge_coloured_by_band()
    {
        var (cut, _) = await RenderAsync();

        Assert.Equal(["a.png", "d.png", "g.png", "b.png", "e.png", "f.png", "c.png"], TileNames(cut));
        var badges = cut.FindAll(".funad-gallery-tile .funad-score");
        Assert.Equal(["0.95", "0.7", "0.62", "0.45", "0.35", "0.2", "0.1"], badges.Select(b => b.TextContent));
        Assert.Equal(["ng", "ng", "ng", "review", "review", "ok", "ok"],
            badges.Select(b => b.ClassList.Single(c => c is "ok" or "review" or "ng")));
        Assert.Equal("7 of 7 images", cut.Find("#gallery-count").TextContent.Trim());
    }

    [Fact]
    public async Task Tiles_show_labels_and_verdicts()
    {
        var (cut, _) = await RenderAsync();

        var first = cut.FindAll(".funad-gallery-tile")[0];
        Assert.Equal("crack", first.QuerySelector(".funad-tile-label")!.TextContent);
        Assert.Equal("✗ defect", first.QuerySelector(".funad-verdict")!.TextContent);
        var last = cut.FindAll(".funad-gallery-tile")[^1];
        Assert.Equal("good", last.QuerySelector(".funad-tile-label")!.TextContent);
        Assert.Equal("✓ normal", last.QuerySelector(".funad-verdict")!.TextContent);
        var unlabelled = cut.FindAll(".funad-gallery-tile")[1];
        Assert.Null(unlabelled.QuerySelector(".funad-tile-label"));
        Assert.Null(unlabelled.QuerySelector(".funad-verdict"));
    }

    [Theory]
    [InlineData("ng", new[] { "a.png", "d.png", "g.png" })]
    [InlineData("review", new[] { "b.png", "e.png" })]
    [InlineData("ok", new[] { "f.png", "c.png" })]
    public async Task The_band_filter_keeps_the_images_of_that_band(string band, string[] names)
    {
        var (cut, _) = await RenderAsync();

        await FilterAsync(cut, "Band", band);

        Assert.Equal(names, TileNames(cut));
        Assert.Equal(names, cut.Instance.Filtered.Select(i => i.Name));
        Assert.Equal($"{names.Length} of 7 images", cut.Find("#gallery-count").TextContent.Trim());
    }

    [Fact]
    public async Task The_band_filter_follows_the_thresholds()
    {
        var (cut, state) = await RenderAsync();
        await FilterAsync(cut, "Band", "ng");

        await cut.InvokeAsync(() => state.SetThresholds(0.3, 0.9));
        cut.Render();

        Assert.Equal(["a.png"], TileNames(cut));
    }

    [Theory]
    [InlineData("anomalous", new[] { "a.png", "e.png" })]
    [InlineData("normal", new[] { "g.png", "b.png", "c.png" })]
    [InlineData("unlabeled", new[] { "d.png", "f.png" })]
    public async Task The_label_filter_keeps_the_images_with_that_uploaded_label(string label, string[] names)
    {
        var (cut, _) = await RenderAsync();

        await FilterAsync(cut, "Label", label);

        Assert.Equal(names, TileNames(cut));
        Assert.Equal(names, cut.Instance.Filtered.Select(i => i.Name));
    }

    [Theory]
    [InlineData("defect", new[] { "a.png", "g.png" })]
    [InlineData("normal", new[] { "c.png" })]
    [InlineData("none", new[] { "d.png", "b.png", "e.png", "f.png" })]
    public async Task The_verdict_filter_keeps_the_images_with_that_verdict(string verdict, string[] names)
    {
        var (cut, _) = await RenderAsync();

        await FilterAsync(cut, "Verdict", verdict);

        Assert.Equal(names, TileNames(cut));
        Assert.Equal(names, cut.Instance.Filtered.Select(i => i.Name));
    }

    [Fact]
    public async Task Filters_combine_and_all_lets_everything_through_again()
    {
        var (cut, _) = await RenderAsync();

        await FilterAsync(cut, "Band", "ng");
        await FilterAsync(cut, "Verdict", "defect");
        Assert.Equal(["a.png", "g.png"], TileNames(cut));
        await FilterAsync(cut, "Label", "normal");
        Assert.Equal(["g.png"], TileNames(cut));
        Assert.Equal("1 of 7 images", cut.Find("#gallery-count").TextContent.Trim());

        await FilterAsync(cut, "Band", "all");
        await FilterAsync(cut, "Verdict", "all");
        await FilterAsync(cut, "Label", "all");
        Assert.Equal(7, TileNames(cut).Count);
    }

    [Fact]
    public async Task Heatmaps_lie_over_the_images_that_have_one_while_shown()
    {
        var (cut, state) = await RenderAsync(configure: r => (r.Outcome.MapMin, r.Outcome.MapMax) = (0.1, 2.5));

        var heat = cut.FindAll("img.funad-heat");
        Assert.Equal(3, heat.Count);
        var runId = state.Run.Id;
        var withHeatmap = state.Images.Where(i => i.HasHeatmap).Select(i => $"/files/runs/{runId}/heatmaps/{i.ImageId}");
        Assert.Equal(withHeatmap, heat.Select(h => h.GetAttribute("src")));
        Assert.All(heat, h => Assert.Equal("opacity: 0.5", h.GetAttribute("style")));
        Assert.Equal("0.1 … 2.5", cut.Find("#heatmap-scale").TextContent.Trim());

        await cut.InvokeAsync(() => { state.ShowHeatmaps = false; state.NotifyChanged(); });
        cut.Render();

        Assert.Empty(cut.FindAll("img.funad-heat"));
    }

    [Fact]
    public async Task The_opacity_slider_sets_the_heatmaps_opacity()
    {
        var (cut, state) = await RenderAsync();

        cut.Find("#heatmap-opacity").Input("0.25");

        Assert.Equal(0.25, state.Opacity);
        Assert.All(cut.FindAll("img.funad-heat"), h => Assert.Equal("opacity: 0.25", h.GetAttribute("style")));
    }

    [Fact]
    public async Task A_run_without_heatmaps_has_no_heatmap_controls()
    {
        var (cut, _) = await RenderAsync([new SeedImage("x.png", 0.5), new SeedImage("y.png", 0.2)]);

        Assert.Empty(cut.FindAll("img.funad-heat"));
        Assert.Empty(cut.FindAll("#heatmap-opacity"));
        Assert.Equal(2, TileNames(cut).Count);
    }

    [Fact]
    public async Task A_patchcore_run_whose_training_images_found_themselves_carries_the_caveat_and_others_do_not()
    {
        var (patchcore, _) = await RenderAsync(configure: r => r.Method = "patchcore");
        var (ownRowsOut, _) = await RenderAsync(configure: r => (r.Method, r.Outcome.OwnRowsLeftOut) = ("patchcore", 3));
        var (funad, _) = await RenderAsync();

        Assert.Contains("memory bank", patchcore.Find("#patchcore-caveat").TextContent);
        Assert.Empty(ownRowsOut.FindAll("#patchcore-caveat"));
        Assert.Empty(funad.FindAll("#patchcore-caveat"));
    }

    [Fact]
    public async Task A_funad_bank_run_says_whether_its_kept_images_were_scored_without_their_own_rows()
    {
        var (old, _) = await RenderAsync(configure: r => r.Method = "funad-bank");
        var (ownRowsOut, _) = await RenderAsync(configure: r => (r.Method, r.Outcome.OwnRowsLeftOut) = ("funad-bank", 3));

        Assert.Contains("low by construction", old.Find("#bank-note").TextContent);
        Assert.Contains("without its own features", ownRowsOut.Find("#bank-note").TextContent);
        Assert.DoesNotContain("low by construction", ownRowsOut.Find("#bank-note").TextContent);
    }

    [Fact]
    public async Task Clicking_a_tile_opens_that_image()
    {
        var (run, ids) = await SeedRunAsync(Catalogue, Seeds);
        var state = new ReviewState(run, await Results.ListAsync(run.Id));
        var opened = new List<long>();
        var cut = Context.Render<RunGallery>(p => p.Add(x => x.State, state).Add(x => x.OnOpen, (long id) => opened.Add(id)));

        cut.FindAll(".funad-gallery-tile")[2].Click();
        cut.FindAll(".funad-gallery-tile")[0].Click();

        // The third tile is g.png (0.62), the first a.png (0.95).
        Assert.Equal([ids[6], ids[1]], opened);
    }
}
