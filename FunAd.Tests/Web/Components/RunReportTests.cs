using Bunit;
using FunAd.Engine.Models;
using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Training;
using FunAd.Web.Components.Review;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static FunAd.Tests.Web.Components.ReviewData;

namespace FunAd.Tests.Web.Components;

public sealed class RunReportTests : ReviewComponentTest
{
    public RunReportTests()
    {
        Context.Services.AddSingleton(Catalogue.Factory);
        Context.Services.AddSingleton(new FunAd.Jobs.Training.RunQueries(Catalogue.Factory));
    }

    // Fourteen images, 0.05 apart from 0.95 down to 0.3 (two of them defective, one normal by label), stored in reverse.
    private static readonly IReadOnlyList<SeedImage> Seeds = Enumerable.Range(0, 14).Reverse()
        .Select(i => new SeedImage($"img{i:00}.png", Math.Round(0.95 - i * 0.05, 2),
            i is 0 or 3 ? ImageLabel.Anomalous : i is 1 or 12 ? ImageLabel.Normal : ImageLabel.Unlabeled, Heatmap: i < 2))
        .ToList();

    [Fact]
    public void A_run_that_does_not_exist_has_no_report()
    {
        var cut = Context.Render<RunReport>(p => p.Add(x => x.Id, 999));

        cut.WaitForAssertion(() => Assert.Equal("Run 999 has no results (it does not exist or has not finished).", cut.Find("#report-missing").TextContent.Trim()));
        Assert.Empty(cut.FindAll("#run-report"));
    }

    [Theory]
    [InlineData(RunStatus.Running)]
    [InlineData(RunStatus.Failed)]
    public async Task A_run_that_has_not_succeeded_has_no_report(RunStatus status)
    {
        var (run, _) = await SeedRunAsync(Catalogue, Seeds, status);

        var cut = Context.Render<RunReport>(p => p.Add(x => x.Id, run.Id));

        cut.WaitForAssertion(() => Assert.Contains($"Run {run.Id} has no results", cut.Find("#report-missing").TextContent));
        Assert.Empty(cut.FindAll("#run-report"));
    }

    [Fact]
    public async Task A_finished_run_reports_its_thresholds_bands_metrics_and_top_twelve_images()
    {
        var (run, _) = await SeedRunAsync(Catalogue, Seeds, configure: r =>
        {
            r.Outcome.PixelAuroc = 0.87654;
            r.Outcome.MaskedImages = 2;
            r.Outcome.SelectionRule = "final: the last epoch (40)";
            r.ParametersJson = new RunSettings("funad", "fast", 42, new Dictionary<string, string> { ["epochs"] = "40" }).ToJson(DetectionMode.Defect);
        });
        string projectName;
        await using (var db = await Catalogue.Factory.CreateDbContextAsync())
            projectName = (await db.Projects.SingleAsync(p => p.Id == run.ProjectId)).Name;

        var cut = Context.Render<RunReport>(p => p.Add(x => x.Id, run.Id));
        cut.WaitForElement("#run-report");

        Assert.Contains($"{projectName} — run #{run.Id}", cut.Find("#run-report").TextContent);
        var metrics = cut.Find("#report-metrics").TextContent;
        Assert.Contains("review ≥ 0.3, NG ≥ 0.6", metrics);
        // Below 0.3: none; 0.3 up to 0.55: six; from 0.6: eight.
        Assert.Contains("OK 0 · review 6 · NG 8", metrics);
        // Ground truth: defects 0.95 and 0.8, normals 0.9 and 0.35: three of four pairs ordered right.
        Assert.Contains("0.7500 over 4 images with ground truth", metrics);
        Assert.Contains("0.8765 / — (2 masked images)", metrics);
        Assert.Contains("final: the last epoch (40)", metrics);
        // Settings as names and values, not JSON; the one this run set is in bold.
        var settings = cut.Find("#report-parameters");
        Assert.DoesNotContain("{", settings.TextContent);
        Assert.Equal(["epochs", "40"], settings.QuerySelectorAll(".funad-setting-set").Select(e => e.TextContent));
        Assert.True(settings.Children.Length > 10, "every resolved setting is listed");
        Assert.NotNull(cut.Find("#score-histogram"));
        Assert.NotNull(cut.Find("#roc-chart"));

        var tiles = cut.FindAll(".funad-gallery-tile");
        Assert.Equal(Enumerable.Range(0, 12).Select(i => $"img{i:00}.png"), tiles.Select(t => t.QuerySelector(".funad-tile-name")!.TextContent));
        Assert.Equal("0.95", tiles[0].QuerySelector(".funad-score")!.TextContent);
        Assert.Contains("ng", tiles[0].QuerySelector(".funad-score")!.ClassList);
        Assert.Contains("review", tiles[11].QuerySelector(".funad-score")!.ClassList);
        Assert.Equal(2, tiles.Count(t => t.QuerySelectorAll("img").Length == 2));
    }

    [Fact]
    public async Task A_finished_run_without_ground_truth_says_so_and_draws_no_roc()
    {
        var (run, _) = await SeedRunAsync(Catalogue, [new SeedImage("a.png", 0.9), new SeedImage("b.png", 0.1)]);

        var cut = Context.Render<RunReport>(p => p.Add(x => x.Id, run.Id));
        cut.WaitForElement("#run-report");

        Assert.Contains("No ground truth yet", cut.Find("#report-metrics").TextContent);
        Assert.Contains("(no masks uploaded)", cut.Find("#report-metrics").TextContent);
        Assert.Empty(cut.FindAll("#roc-chart"));
        Assert.Equal(2, cut.FindAll(".funad-gallery-tile").Count);
    }

    [Fact]
    public async Task The_print_button_opens_the_browsers_print_dialog()
    {
        var (run, _) = await SeedRunAsync(Catalogue, [new SeedImage("a.png", 0.9)]);
        var cut = Context.Render<RunReport>(p => p.Add(x => x.Id, run.Id));
        cut.WaitForElement("#run-report");

        await cut.Find("#print-report").ClickAsync(new MouseEventArgs());

        Assert.Contains(Context.JSInterop.Invocations, i => i.Identifier == "print");
    }
}
