using Bunit;
using FunAd.Jobs.Catalogue;
using FunAd.Web.Components.Review;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using static FunAd.Tests.Web.Components.ReviewData;

namespace FunAd.Tests.Web.Components;

public sealed class ThresholdPanelTests : ReviewComponentTest
{
    private static readonly double[] Scores = [0.9, 0.75, 0.65, 0.45, 0.35, 0.2, 0.1];

    private static ReviewState State() => new(Run(low: 0.3, high: 0.6, suggested: 0.5), Scores.Select((s, i) => Image(i + 1, s)).ToList());

    private static (string Ok, string Review, string Ng) Bands(IRenderedComponent<ThresholdPanel> cut) =>
        (cut.Find("#band-ok").TextContent.Trim(), cut.Find("#band-review").TextContent.Trim(), cut.Find("#band-ng").TextContent.Trim());

    [Fact]
    public void The_band_chips_count_the_images_at_the_runs_thresholds()
    {
        SignInAsEditor();
        var cut = Context.Render<ThresholdPanel>(p => p.Add(x => x.State, State()));

        Assert.Equal(("OK 2", "Review 2", "NG 3"), Bands(cut));
        Assert.Equal("0.3", cut.Find("#low-value").TextContent);
        Assert.Equal("0.6", cut.Find("#high-value").TextContent);
        Assert.Contains("0.5", cut.Find("#suggested-threshold").TextContent);
        Assert.Contains("median + 3 MAD", cut.Find("#suggested-threshold").TextContent);
    }

    [Fact]
    public void Moving_the_ng_threshold_recounts_the_bands_and_moves_the_shared_state()
    {
        SignInAsEditor();
        var state = State();
        var changes = 0;
        state.Changed += () => changes++;
        var cut = Context.Render<ThresholdPanel>(p => p.Add(x => x.State, state));

        cut.Find("#threshold-high").Input("0.7");

        Assert.Equal(("OK 2", "Review 3", "NG 2"), Bands(cut));
        Assert.Equal("0.7", cut.Find("#high-value").TextContent);
        Assert.Equal((0.3, 0.7), (state.Low, state.High));
        Assert.Equal(1, changes);
    }

    [Fact]
    public void With_labels_the_ng_threshold_can_be_best_f1_or_a_false_alarm_budget_and_both_can_be_typed()
    {
        SignInAsEditor();
        // Normals at 0.1, 0.2, 0.35, 0.45, 0.75; defects at 0.65 and 0.9.
        var labels = new[] { ImageLabel.Anomalous, ImageLabel.Normal, ImageLabel.Anomalous, ImageLabel.Normal, ImageLabel.Normal, ImageLabel.Normal, ImageLabel.Normal };
        var state = new ReviewState(Run(low: 0.3, high: 0.6, suggested: 0.5), Scores.Select((s, i) => Image(i + 1, s, labels[i])).ToList());
        var cut = Context.Render<ThresholdPanel>(p => p.Add(x => x.State, state));

        cut.Find("#use-best-f1").Click();
        Assert.Equal((0.3, 0.65), (state.Low, state.High));

        // No false alarm allowed: NG starts just above the highest normal (0.75).
        cut.Find("#false-alarm-percent").Change("0");
        cut.Find("#use-false-alarms").Click();
        Assert.True(state.High > 0.75 && state.High < 0.9, $"NG from {state.High}");
        Assert.Equal("NG 1", cut.Find("#band-ng").TextContent.Trim());

        cut.Find("#high-entry").Change("0.5");
        Assert.Equal((0.3, 0.5), (state.Low, state.High));
    }

    [Fact]
    public void Without_labels_there_is_no_labelled_choice()
    {
        SignInAsEditor();
        var cut = Context.Render<ThresholdPanel>(p => p.Add(x => x.State, State()));
        Assert.Empty(cut.FindAll("#labelled-choices"));
    }

    [Fact]
    public void Moving_the_review_threshold_above_the_ng_one_pushes_the_ng_one_along()
    {
        SignInAsEditor();
        var state = State();
        var cut = Context.Render<ThresholdPanel>(p => p.Add(x => x.State, state));

        cut.Find("#threshold-low").Input("0.8");

        Assert.Equal((0.8, 0.8), (state.Low, state.High));
        Assert.Equal("0.8", cut.Find("#low-value").TextContent);
        Assert.Equal("0.8", cut.Find("#high-value").TextContent);
        Assert.Equal(("OK 6", "Review 0", "NG 1"), Bands(cut));
    }

    [Fact]
    public void Moving_the_ng_threshold_below_the_review_one_pulls_the_review_one_down()
    {
        SignInAsEditor();
        var state = State();
        var cut = Context.Render<ThresholdPanel>(p => p.Add(x => x.State, state));

        cut.Find("#threshold-high").Input("0.2");

        Assert.Equal((0.2, 0.2), (state.Low, state.High));
        Assert.Equal(("OK 1", "Review 0", "NG 6"), Bands(cut));
    }

    [Fact]
    public void Use_the_suggestion_starts_ng_at_it_and_review_just_below()
    {
        SignInAsEditor();
        var state = State();
        var cut = Context.Render<ThresholdPanel>(p => p.Add(x => x.State, state));
        cut.Find("#threshold-high").Input("0.8");

        cut.Find("#use-suggested").Click();

        // 0.65, 0.75 and 0.9 are at or above the suggestion (0.5) and NG; the next one below (0.45) goes to review.
        Assert.Equal((0.45, 0.5), (state.Low, state.High));
        Assert.Equal(("OK 3", "Review 1", "NG 3"), Bands(cut));
        Assert.Equal("0.5", cut.Find("#suggested-ng").TextContent);
        Assert.Equal("0.45", cut.Find("#suggested-review").TextContent);
    }

    [Fact]
    public async Task Save_is_enabled_by_a_change_and_stores_both_thresholds_with_the_run()
    {
        SignInAsEditor();
        var (run, _) = await SeedRunAsync(Catalogue, Scores.Select((s, i) => new SeedImage($"img{i}.png", s)).ToList());
        var state = new ReviewState(run, await Results.ListAsync(run.Id));
        var cut = Context.Render<ThresholdPanel>(p => p.Add(x => x.State, state));
        Assert.True(cut.Find("#save-thresholds").HasAttribute("disabled"));

        cut.Find("#threshold-low").Input("0.4");
        cut.Find("#threshold-high").Input("0.7");
        Assert.False(cut.Find("#save-thresholds").HasAttribute("disabled"));
        await cut.Find("#save-thresholds").ClickAsync(new MouseEventArgs());

        await using (var db = await Catalogue.Factory.CreateDbContextAsync())
        {
            var stored = await db.Runs.SingleAsync(r => r.Id == run.Id);
            Assert.Equal((0.4, 0.7), (stored.Thresholds.Low, stored.Thresholds.High));
        }
        Assert.True(cut.Find("#save-thresholds").HasAttribute("disabled"));
        var snackbar = Context.Services.GetRequiredService<ISnackbar>();
        Assert.Contains(snackbar.ShownSnackbars, s => s.Severity == Severity.Success && s.Message!.Contains("Thresholds saved"));
    }

    [Fact]
    public async Task Saving_for_a_run_that_has_not_finished_stores_nothing_and_says_why()
    {
        SignInAsEditor();
        var (run, _) = await SeedRunAsync(Catalogue, Scores.Select((s, i) => new SeedImage($"img{i}.png", s)).ToList(), RunStatus.Running);
        var state = new ReviewState(run, await Results.ListAsync(run.Id));
        var cut = Context.Render<ThresholdPanel>(p => p.Add(x => x.State, state));

        cut.Find("#threshold-high").Input("0.7");
        await cut.Find("#save-thresholds").ClickAsync(new MouseEventArgs());

        await using (var db = await Catalogue.Factory.CreateDbContextAsync())
        {
            var stored = await db.Runs.SingleAsync(r => r.Id == run.Id);
            Assert.Equal((0.3, 0.6), (stored.Thresholds.Low, stored.Thresholds.High));
        }
        Assert.False(cut.Find("#save-thresholds").HasAttribute("disabled"));
        var snackbar = Context.Services.GetRequiredService<ISnackbar>();
        Assert.Contains(snackbar.ShownSnackbars, s => s.Severity == Severity.Error && s.Message!.Contains("has not finished"));
    }

    [Fact]
    public void A_viewer_moves_the_thresholds_but_gets_no_save_button()
    {
        SignInAsViewer();
        var cut = Context.Render<ThresholdPanel>(p => p.Add(x => x.State, State()));

        Assert.Empty(cut.FindAll("#save-thresholds"));
        cut.Find("#threshold-high").Input("0.7");
        Assert.Equal(("OK 2", "Review 3", "NG 2"), Bands(cut));
        Assert.Empty(cut.FindAll("#save-thresholds"));
    }
}
