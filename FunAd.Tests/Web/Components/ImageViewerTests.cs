using Bunit;
using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Scoring;
using FunAd.Web.Components.Review;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using static FunAd.Tests.Web.Components.ReviewData;

namespace FunAd.Tests.Web.Components;

public sealed class ImageViewerTests : ReviewComponentTest
{
    // In score order: a 0.9 (mask, heatmap), b 0.7, c 0.5 (heatmap), d 0.3 (verdict normal), e 0.1.
    private static readonly IReadOnlyList<SeedImage> Seeds =
    [
        new("c.png", 0.5, Heatmap: true),
        new("a.png", 0.9, ImageLabel.Anomalous, Heatmap: true, Mask: true, DefectType: "crack"),
        new("e.png", 0.1, ImageLabel.Normal),
        new("b.png", 0.7),
        new("d.png", 0.3, Verdict: Verdict.Normal),
    ];

    private ReviewState state = default!;
    private IReadOnlyList<long> ids = [];
    private int closed;

    private async Task<IRenderedComponent<ImageViewer>> RenderAsync(string startName, IReadOnlyList<ScoredImage>? images = null)
    {
        var (run, seeded) = await SeedRunAsync(Catalogue, Seeds);
        ids = seeded;
        state = new ReviewState(run, await Results.ListAsync(run.Id));
        var start = state.Images.Single(i => i.Name == startName).ImageId;
        return Context.Render<ImageViewer>(p => p
            .Add(x => x.State, state).Add(x => x.Images, images ?? state.Images).Add(x => x.StartImageId, start)
            .Add(x => x.OnClose, () => closed++));
    }

    private static Task KeyAsync(IRenderedComponent<ImageViewer> cut, string key) =>
        cut.Find("#image-viewer").KeyDownAsync(new KeyboardEventArgs { Key = key });

    private static string Position(IRenderedComponent<ImageViewer> cut) => cut.Find("#viewer-position").TextContent.Trim();

    private static string Name(IRenderedComponent<ImageViewer> cut) => cut.Find("#viewer-name").TextContent.Trim();

    private async Task<Review?> StoredReviewAsync(string name)
    {
        await using var db = await Catalogue.Factory.CreateDbContextAsync();
        var id = ids[Seeds.ToList().FindIndex(s => s.Name == name)];
        return await db.Reviews.AsNoTracking().SingleOrDefaultAsync(r => r.ImageId == id);
    }

    [Fact]
    public async Task It_opens_at_the_start_image()
    {
        SignInAsEditor();
        var cut = await RenderAsync("c.png");

        Assert.Equal("3 / 5", Position(cut));
        Assert.Equal("c.png", Name(cut));
        Assert.Equal("0.5", cut.Find("#viewer-score").TextContent);
        Assert.Contains("review", cut.Find("#viewer-score").ClassList);
    }

    [Fact]
    public async Task Arrow_keys_and_j_k_step_through_the_images_and_stop_at_the_ends()
    {
        SignInAsEditor();
        var cut = await RenderAsync("c.png");

        await KeyAsync(cut, "ArrowRight");
        Assert.Equal(("4 / 5", "d.png"), (Position(cut), Name(cut)));
        await KeyAsync(cut, "j");
        await KeyAsync(cut, "ArrowRight");
        Assert.Equal(("5 / 5", "e.png"), (Position(cut), Name(cut)));
        await KeyAsync(cut, "k");
        await KeyAsync(cut, "ArrowLeft");
        await KeyAsync(cut, "ArrowLeft");
        await KeyAsync(cut, "K");
        await KeyAsync(cut, "ArrowLeft");
        Assert.Equal(("1 / 5", "a.png"), (Position(cut), Name(cut)));
        Assert.True(cut.Find("#viewer-prev").HasAttribute("disabled"));
    }

    [Fact]
    public async Task It_steps_through_the_images_it_is_given_in_their_order()
    {
        SignInAsEditor();
        var (run, _) = await SeedRunAsync(Catalogue, Seeds);
        state = new ReviewState(run, await Results.ListAsync(run.Id));
        // a.png, the start asked for, is not among them (it is NG): the first of them is shown.
        var reviewBand = state.Images.Where(i => state.BandOf(i) == ScoreBand.Review).ToList();

        var cut = Context.Render<ImageViewer>(p => p.Add(x => x.State, state).Add(x => x.Images, reviewBand).Add(x => x.StartImageId, state.Images[0].ImageId));

        Assert.Equal(("1 / 2", "c.png"), (Position(cut), Name(cut)));
        await KeyAsync(cut, "ArrowRight");
        Assert.Equal(("2 / 2", "d.png"), (Position(cut), Name(cut)));
    }

    [Fact]
    public async Task D_stores_a_defect_verdict_and_moves_on()
    {
        SignInAsEditor();
        var cut = await RenderAsync("b.png");

        await KeyAsync(cut, "d");

        var review = await StoredReviewAsync("b.png");
        Assert.Equal((Verdict.Defect, "editor@x"), (review!.Verdict, review.By));
        Assert.Equal(Verdict.Defect, state.Images.Single(i => i.Name == "b.png").Verdict);
        Assert.Equal(("3 / 5", "c.png"), (Position(cut), Name(cut)));
        await KeyAsync(cut, "ArrowLeft");
        Assert.Equal("verdict: defect", cut.Find("#viewer-verdict").TextContent.Trim());
    }

    [Fact]
    public async Task N_replaces_a_verdict_with_normal_and_moves_on()
    {
        SignInAsEditor();
        var cut = await RenderAsync("a.png");
        await KeyAsync(cut, "D");
        await KeyAsync(cut, "ArrowLeft");

        await KeyAsync(cut, "n");

        Assert.Equal(Verdict.Normal, (await StoredReviewAsync("a.png"))!.Verdict);
        Assert.Equal(Verdict.Normal, state.Images.Single(i => i.Name == "a.png").Verdict);
        Assert.Equal("2 / 5", Position(cut));
        await using var db = await Catalogue.Factory.CreateDbContextAsync();
        Assert.Equal(1, await db.Reviews.CountAsync(r => r.ImageId == state.Images[0].ImageId));
    }

    [Fact]
    public async Task U_clears_the_verdict_and_stays()
    {
        SignInAsEditor();
        var cut = await RenderAsync("d.png");
        Assert.Equal("verdict: normal", cut.Find("#viewer-verdict").TextContent.Trim());

        await KeyAsync(cut, "u");

        Assert.Null(await StoredReviewAsync("d.png"));
        Assert.Null(state.Images.Single(i => i.Name == "d.png").Verdict);
        Assert.Equal(("4 / 5", "verdict: none"), (Position(cut), cut.Find("#viewer-verdict").TextContent.Trim()));
    }

    [Fact]
    public async Task The_verdict_buttons_store_verdicts_too()
    {
        SignInAsEditor();
        var cut = await RenderAsync("e.png");

        await cut.Find("#verdict-defect").ClickAsync(new MouseEventArgs());

        Assert.Equal(Verdict.Defect, (await StoredReviewAsync("e.png"))!.Verdict);
        // The last image has nowhere to move on to.
        Assert.Equal("5 / 5", Position(cut));
    }

    [Fact]
    public async Task Escape_closes_the_viewer()
    {
        SignInAsEditor();
        var cut = await RenderAsync("c.png");

        await KeyAsync(cut, "x");
        Assert.Equal(0, closed);
        await KeyAsync(cut, "Escape");

        Assert.Equal(1, closed);
    }

    [Fact]
    public async Task The_mask_pane_is_there_only_for_an_image_with_a_mask()
    {
        SignInAsEditor();
        var cut = await RenderAsync("a.png");
        var a = state.Images[0].ImageId;

        Assert.Equal($"/files/images/{a}/mask", cut.Find("#viewer-mask").GetAttribute("src"));
        Assert.Equal($"/files/runs/{state.Run.Id}/heatmaps/{a}/values", cut.Find("#viewer-heatmap").GetAttribute("data-values"));
        Assert.Contains("crack", cut.Markup);

        await KeyAsync(cut, "ArrowRight");

        Assert.Equal("b.png", Name(cut));
        Assert.Empty(cut.FindAll("#viewer-mask"));
        Assert.Empty(cut.FindAll("#viewer-heatmap"));
    }

    [Fact]
    public async Task The_heatmap_is_coloured_at_the_chosen_scale_with_the_ng_threshold_and_mask_outlines()
    {
        SignInAsEditor();
        var module = Context.JSInterop.SetupModule("./js/viewer.js");
        module.Setup<double[]?>("drawHeatmap", _ => true).SetResult([0.25, 0.75]);
        var cut = await RenderAsync("a.png");
        var a = state.Images[0].ImageId;

        cut.WaitForAssertion(() => Assert.Contains("0.25", cut.Find("#viewer-legend").TextContent));
        var first = Options(module.Invocations["drawHeatmap"][^1]);
        Assert.Equal(($"/files/runs/{state.Run.Id}/heatmaps/{a}/values", "run", true, true), (first.valuesUrl, first.scale, first.showThreshold, first.showMask));
        Assert.Equal(state.High, first.threshold);
        Assert.Equal($"/files/images/{a}/mask", first.maskUrl);
        Assert.Contains("run scale", cut.Find("#heatmap-caption").TextContent);

        cut.FindAll("#heatmap-scale-toggle button").Single(b => b.TextContent.Contains("this image")).Click();
        cut.WaitForAssertion(() => Assert.Equal("image", Options(module.Invocations["drawHeatmap"][^1]).scale));
        Assert.Contains("this image's scale", cut.Find("#heatmap-caption").TextContent);
        var drawn = module.Invocations["drawHeatmap"].Count;

        // Opacity is the canvas's style: no redraw for it.
        state.Opacity = 0.8;
        state.NotifyChanged();
        cut.Render();
        Assert.Contains("opacity: 0.8", cut.Find("#viewer-heatmap").GetAttribute("style"));
        Assert.Equal(drawn, module.Invocations["drawHeatmap"].Count);
    }

    private static (string valuesUrl, string scale, bool showThreshold, bool showMask, double? threshold, string? maskUrl) Options(JSRuntimeInvocation invocation)
    {
        var json = System.Text.Json.JsonSerializer.SerializeToElement(invocation.Arguments[1]);
        return (json.GetProperty("valuesUrl").GetString()!, json.GetProperty("scale").GetString()!, json.GetProperty("showThreshold").GetBoolean(),
            json.GetProperty("showMask").GetBoolean(), json.GetProperty("threshold").ValueKind == System.Text.Json.JsonValueKind.Number ? json.GetProperty("threshold").GetDouble() : null,
            json.GetProperty("maskUrl").GetString());
    }

    [Fact]
    public async Task Zoom_keys_widen_the_panes_up_to_eight_times()
    {
        SignInAsEditor();
        var cut = await RenderAsync("a.png");

        await KeyAsync(cut, "+");
        Assert.All(cut.FindAll(".funad-zoom"), z => Assert.Equal("width: 150%", z.GetAttribute("style")));
        for (var i = 0; i < 10; i++) await KeyAsync(cut, "+");
        Assert.All(cut.FindAll(".funad-zoom"), z => Assert.Equal("width: 800%", z.GetAttribute("style")));
        for (var i = 0; i < 10; i++) await KeyAsync(cut, "-");
        Assert.All(cut.FindAll(".funad-zoom"), z => Assert.Equal("width: 100%", z.GetAttribute("style")));
    }

    [Fact]
    public async Task The_editor_policy_not_a_role_name_decides_who_gives_verdicts()
    {
        // A role the policy does not know but a policy that says yes: the policy wins.
        var auth = Context.AddAuthorization();
        auth.SetAuthorized("lead@x");
        auth.SetRoles("Lead");
        auth.SetPolicies(FunAd.Web.Security.Policies.Editor);
        var cut = await RenderAsync("b.png");

        await KeyAsync(cut, "d");

        Assert.Equal(Verdict.Defect, (await StoredReviewAsync("b.png"))?.Verdict);
    }

    [Fact]
    public async Task An_editor_role_without_the_editor_policy_gives_no_verdict()
    {
        var auth = Context.AddAuthorization();
        auth.SetAuthorized("editor@x");
        auth.SetRoles(Roles.Editor);
        var cut = await RenderAsync("b.png");

        await KeyAsync(cut, "d");

        Assert.Null(await StoredReviewAsync("b.png"));
    }

    [Fact]
    public async Task A_viewer_gives_no_verdict_and_is_told_so()
    {
        SignInAsViewer();
        var cut = await RenderAsync("b.png");

        Assert.Empty(cut.FindAll("#verdict-defect"));
        await KeyAsync(cut, "d");

        Assert.Null(await StoredReviewAsync("b.png"));
        Assert.Null(state.Images.Single(i => i.Name == "b.png").Verdict);
        Assert.Equal("2 / 5", Position(cut));
        var snackbar = Context.Services.GetRequiredService<ISnackbar>();
        Assert.Contains(snackbar.ShownSnackbars, s => s.Message == "Viewers cannot give verdicts.");
    }
}
