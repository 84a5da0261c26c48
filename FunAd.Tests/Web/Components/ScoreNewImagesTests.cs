using System.Text;
using Bunit;
using FunAd.Engine.Devices;
using FunAd.Jobs.Audit;
using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Scoring;
using FunAd.Jobs.Training;
using FunAd.Jobs.Uploads;
using FunAd.Tests.Support;
using FunAd.Web.Components.Review;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using static FunAd.Tests.Web.Components.ReviewData;

namespace FunAd.Tests.Web.Components;

/// <summary>
/// A real catalogue with a project of eight brick crops and a PatchCore run trained on them (defect mode,
/// so with heatmaps and an exported ONNX model), made once for <see cref="ScoreNewImagesTests"/>.
/// </summary>
public sealed class TrainedRunFixture : IAsyncLifetime
{
    private readonly TemporaryFolder folder = new();

    public CatalogueFixture Catalogue { get; } = new();
    public RunInference Inference { get; private set; } = null!;
    public int ProjectId { get; private set; }
    public int RunId { get; private set; }
    /// <summary>The bytes of an image the project holds already.</summary>
    public byte[] TrainingImage { get; private set; } = [];

    public async Task InitializeAsync()
    {
        var project = await Catalogue.AddProjectAsync();
        ProjectId = project.Id;
        var paths = Enumerable.Range(0, 8).Select(i =>
        {
            using var crop = TestImages.BrickCrop(i % 4 * 100, i / 4 * 100, 96);
            return TestImages.Save(crop, folder.Combine($"train{i}.png"));
        }).ToList();
        await Catalogue.AddImagesAsync(ProjectId, paths);
        TrainingImage = await File.ReadAllBytesAsync(paths[0]);
        var parts = new JobParts(Catalogue, new RecordingJobClient());
        var run = await parts.Launcher().StartAsync(ProjectId, new RunSettings("patchcore", "fast", 1), "tester");
        await parts.Job().RunAsync(run.Id, null, CancellationToken.None);
        await using (var db = await Catalogue.Factory.CreateDbContextAsync())
        {
            var done = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == run.Id);
            if (done.Status != RunStatus.Succeeded) throw new InvalidOperationException($"The fixture's run did not train: {done.Error}");
        }
        RunId = run.Id;
        Inference = new RunInference(Catalogue.Factory, Catalogue.Store, new EngineDevice(() => ComputeDevice.Resolve(DeviceChoice.Cpu)));
    }

    /// <summary>A brick crop the project does not hold (training crops end at y = 196), as PNG bytes; a stain painted on when asked.</summary>
    public static byte[] NewBrick(int x, int y, bool stain = false)
    {
        using var crop = TestImages.BrickCrop(x, y, 96);
        if (stain) TestImages.PaintBlob(crop, 48, 48, 14, 10, new Rgb24(250, 250, 250));
        using var memory = new MemoryStream();
        crop.SaveAsPng(memory);
        return memory.ToArray();
    }

    public Task DisposeAsync()
    {
        Inference?.Dispose();
        Catalogue.Dispose();
        folder.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>
/// Scoring new images on a run's page: the drop zone (editors only), every way a drop is refused (the
/// earlier results stay), the results scored by a real trained run's model, the viewer opened from a
/// tile, the CSV download, and adding the images to the run's project through the upload path.
/// </summary>
public sealed class ScoreNewImagesTests : ReviewComponentTest, IClassFixture<TrainedRunFixture>
{
    private static readonly byte[] NotReallyAPng = [0x89, 0x50, 0x4E, 0x47, 1, 2, 3];
    private readonly TrainedRunFixture trained;

    public ScoreNewImagesTests(TrainedRunFixture trained)
    {
        this.trained = trained;
        Context.Services.AddSingleton(trained.Inference);
        Context.Services.AddSingleton(new ProjectUploads(new UploadImporter(trained.Catalogue.Factory, trained.Catalogue.Store, UploadLimits.Default, FunAd.Engine.Imaging.DecodeLimits.Default),
            new AuditLog(trained.Catalogue.Factory)));
        SignInAsEditor();
    }

    private IRenderedComponent<ScoreNewImages> Render(int? runId = null) =>
        Context.Render<ScoreNewImages>(p => p.Add(x => x.RunId, runId ?? trained.RunId).Add(x => x.ProjectId, trained.ProjectId));

    /// <summary>Drops the files on the zone's input and waits until they are scored and shown (or refused).</summary>
    private static void Drop(IRenderedComponent<ScoreNewImages> cut, params (string Name, byte[] Bytes)[] files)
    {
        cut.FindComponent<InputFile>().UploadFiles(files.Select(f => InputFileContent.CreateFromBinary(f.Bytes, f.Name)).ToArray());
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(".mud-progress-linear")), TimeSpan.FromSeconds(60));
    }

    private static string CsvOf(IRenderedComponent<ScoreNewImages> cut)
    {
        var href = cut.Find("#score-csv").GetAttribute("href")!;
        const string prefix = "data:text/csv;charset=utf-8;base64,";
        Assert.StartsWith(prefix, href);
        return Encoding.UTF8.GetString(Convert.FromBase64String(href[prefix.Length..]));
    }

    [Fact]
    public void A_viewer_is_told_scoring_needs_an_editor_and_gets_no_drop_zone()
    {
        using var viewerContext = new Bunit.BunitContext();
        viewerContext.Services.AddSingleton(trained.Inference);
        viewerContext.Services.AddSingleton(new ProjectUploads(new UploadImporter(trained.Catalogue.Factory, trained.Catalogue.Store, UploadLimits.Default, FunAd.Engine.Imaging.DecodeLimits.Default),
            new AuditLog(trained.Catalogue.Factory)));
        viewerContext.Services.AddMudServices();
        var auth = viewerContext.AddAuthorization();
        auth.SetAuthorized("viewer@x");
        auth.SetRoles(FunAd.Jobs.Catalogue.Roles.Viewer);

        var cut = viewerContext.Render<ScoreNewImages>(p => p.Add(x => x.RunId, trained.RunId).Add(x => x.ProjectId, trained.ProjectId));

        Assert.Contains("needs the Editor or Admin role", cut.Find("#score-needs-editor").TextContent);
        Assert.Empty(cut.FindAll("#score-zone"));
        Assert.Empty(cut.FindAll("input#score-files"));
    }

    [Fact]
    public void Before_an_upload_it_offers_a_drop_zone_covered_by_the_file_input_and_shows_nothing_else()
    {
        var cut = Render();

        Assert.Contains($"Up to {ScoringLimits.Default.MaxImages} images", cut.Find("#score-zone").TextContent);
        // The input is inside the zone (score.css stretches it over the zone), so a drop anywhere on it lands on the input.
        var input = cut.Find("#score-zone input#score-files");
        Assert.Equal("file", input.GetAttribute("type"));
        Assert.True(input.HasAttribute("multiple"));
        Assert.Equal("image/*", input.GetAttribute("accept"));
        Assert.Empty(cut.FindAll("#score-error"));
        Assert.Empty(cut.FindAll("#score-results .funad-tile"));
        Assert.Empty(cut.FindAll("#score-csv"));
        Assert.Empty(cut.FindAll(".mud-progress-linear"));
    }

    [Fact]
    public void Images_for_a_run_that_does_not_exist_get_an_error_not_a_crash()
    {
        var cut = Render(999);

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(NotReallyAPng, "a.png"));

        cut.WaitForAssertion(() => Assert.Equal("Run 999 does not exist.", cut.Find("#score-error").TextContent.Trim()));
        Assert.Empty(cut.FindAll("#score-results .funad-tile"));
        Assert.Empty(cut.FindAll(".mud-progress-linear"));
    }

    [Fact]
    public async Task Images_for_a_run_still_training_are_refused_with_its_status()
    {
        var (run, _) = await SeedRunAsync(trained.Catalogue, [new SeedImage("a.png", 0.5)], RunStatus.Running);
        var cut = Render(run.Id);

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(NotReallyAPng, "a.png"));

        cut.WaitForAssertion(() => Assert.Equal($"Run {run.Id} has no trained model (status running).", cut.Find("#score-error").TextContent.Trim()));
    }

    [Fact]
    public async Task Images_for_a_finished_run_without_a_model_are_refused()
    {
        var (run, _) = await SeedRunAsync(trained.Catalogue, [new SeedImage("a.png", 0.5)]);
        var cut = Render(run.Id);

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(NotReallyAPng, "a.png"));

        cut.WaitForAssertion(() => Assert.Equal($"Run {run.Id} has no trained model (status succeeded).", cut.Find("#score-error").TextContent.Trim()));
    }

    [Fact]
    public void More_images_than_one_request_takes_are_refused()
    {
        var cut = Render();

        var files = Enumerable.Range(0, ScoringLimits.Default.MaxImages + 1).Select(i => InputFileContent.CreateFromBinary(NotReallyAPng, $"{i}.png")).ToArray();
        cut.FindComponent<InputFile>().UploadFiles(files);

        cut.WaitForAssertion(() => Assert.Contains($"{ScoringLimits.Default.MaxImages}", cut.Find("#score-error").TextContent));
        Assert.Empty(cut.FindAll("#score-results .funad-tile"));
    }

    [Fact]
    public async Task A_new_upload_clears_the_previous_error()
    {
        var (run, _) = await SeedRunAsync(trained.Catalogue, [new SeedImage("a.png", 0.5)], RunStatus.Queued);
        var cut = Render(999);
        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(NotReallyAPng, "a.png"));
        cut.WaitForAssertion(() => Assert.Contains("does not exist", cut.Find("#score-error").TextContent));

        cut.Render(p => p.Add(x => x.RunId, run.Id));
        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(NotReallyAPng, "a.png"));

        cut.WaitForAssertion(() => Assert.Contains("(status queued)", cut.Find("#score-error").TextContent));
        Assert.Single(cut.FindAll("#score-error"));
    }

    [Fact]
    public void Dropped_images_are_scored_by_the_runs_model_and_a_file_that_is_no_image_is_refused_by_name()
    {
        var cut = Render();

        Drop(cut, ("wall.png", TrainedRunFixture.NewBrick(0, 300)), ("notes.png", NotReallyAPng), ("stain.png", TrainedRunFixture.NewBrick(100, 300, stain: true)));

        var tiles = cut.FindAll("#score-results .funad-tile");
        Assert.Equal(3, tiles.Count);
        Assert.Equal("2 scored, 1 refused", cut.Find("#score-summary").TextContent.Trim());
        // Scored tiles carry the image, its heatmap and the score; the refused one names itself and the reason.
        Assert.NotNull(tiles[0].QuerySelector(".funad-score"));
        Assert.StartsWith("data:image/png;base64,", tiles[0].QuerySelector("img.funad-heat")!.GetAttribute("src"));
        Assert.Null(tiles[1].QuerySelector(".funad-score"));
        var refused = Assert.Single(cut.FindAll("#score-refused li"));
        Assert.StartsWith("notes.png:", refused.TextContent.Trim());
        Assert.True(refused.TextContent.Trim().Length > "notes.png: ".Length, "the reason is given");
        Assert.Empty(cut.FindAll("#score-error"));
    }

    [Fact]
    public async Task A_new_images_map_values_come_with_its_score_and_peak_on_its_defect()
    {
        var scored = await trained.Inference.ScoreAsync(trained.RunId, [("stain.png", TrainedRunFixture.NewBrick(0, 300, stain: true))]);

        var (values, width, height) = FunAd.Engine.Visualization.HeatmapValues.Decode(Assert.Single(scored).MapValues);
        Assert.Equal((56, 56), (width, height));
        // The stain covers the middle of the crop (pixels 34..62 of 96, cells 20..36 of 56).
        var peak = Array.IndexOf(values, values.Max());
        Assert.InRange(peak % width, 16, 40);
        Assert.InRange(peak / width, 16, 40);
    }

    [Fact]
    public void A_tile_opens_the_viewer_which_steps_with_the_arrow_keys_and_sets_the_heatmaps_opacity_and_scale()
    {
        var module = Context.JSInterop.SetupModule("./js/viewer.js");
        module.Setup<double[]?>("drawHeatmap", _ => true).SetResult([0.25, 0.75]);
        var cut = Context.Render<ScoreNewImages>(p => p.Add(x => x.RunId, trained.RunId).Add(x => x.ProjectId, trained.ProjectId).Add(x => x.ColourScale, (0.4, 2.5)));
        Drop(cut, ("a.png", TrainedRunFixture.NewBrick(0, 300)), ("b.png", TrainedRunFixture.NewBrick(100, 300)), ("c.png", NotReallyAPng));

        cut.FindAll("#score-results .funad-tile")[1].Click();

        Assert.Empty(cut.FindAll("#score-results"));
        Assert.Equal("2 / 3", cut.Find("#score-viewer-position").TextContent.Trim());
        Assert.Equal("b.png", cut.Find("#score-viewer-name").TextContent.Trim());
        Assert.Matches("^band: (OK|REVIEW|NG)$", cut.Find("#score-viewer-band").TextContent.Trim());
        // The heatmap is drawn in the page from the map values that came with the score, at the run's scale first.
        var heatmap = cut.Find("#score-viewer-heatmap");
        Assert.Equal("CANVAS", heatmap.TagName);
        Assert.Contains("opacity: 0.5", heatmap.GetAttribute("style"));
        cut.WaitForAssertion(() => Assert.Contains("0.25", cut.Find("#score-viewer-legend").TextContent));
        var drawn = System.Text.Json.JsonSerializer.SerializeToElement(module.Invocations["drawHeatmap"][^1].Arguments[1]);
        Assert.Equal(("run", 0.4, 2.5), (drawn.GetProperty("scale").GetString(), drawn.GetProperty("runMin").GetDouble(), drawn.GetProperty("runMax").GetDouble()));
        var values = FunAd.Engine.Visualization.HeatmapValues.Decode(Convert.FromBase64String(drawn.GetProperty("values").GetString()!));
        Assert.Equal((56, 56), (values.Width, values.Height));

        cut.FindAll("#score-viewer-scale button").Single(b => b.TextContent.Contains("this image")).Click();
        cut.WaitForAssertion(() => Assert.Equal("image",
            System.Text.Json.JsonSerializer.SerializeToElement(module.Invocations["drawHeatmap"][^1].Arguments[1]).GetProperty("scale").GetString()));
        var draws = module.Invocations["drawHeatmap"].Count;

        // Opacity is the canvas's style: no redraw for it.
        cut.Find("#score-viewer-opacity").Input("0.8");
        Assert.Contains("opacity: 0.8", cut.Find("#score-viewer-heatmap").GetAttribute("style"));
        Assert.Equal(draws, module.Invocations["drawHeatmap"].Count);

        cut.Find("#score-viewer").KeyDown(new KeyboardEventArgs { Key = "ArrowRight" });
        Assert.Equal("3 / 3", cut.Find("#score-viewer-position").TextContent.Trim());
        Assert.Contains("c.png was not scored", cut.Find("#score-viewer-refused").TextContent);
        Assert.Empty(cut.FindAll("#score-viewer-heatmap"));
        cut.Find("#score-viewer").KeyDown(new KeyboardEventArgs { Key = "ArrowRight" });
        Assert.Equal("3 / 3", cut.Find("#score-viewer-position").TextContent.Trim());
        cut.Find("#score-viewer").KeyDown(new KeyboardEventArgs { Key = "ArrowLeft" });
        cut.Find("#score-viewer").KeyDown(new KeyboardEventArgs { Key = "ArrowLeft" });
        Assert.Equal("1 / 3", cut.Find("#score-viewer-position").TextContent.Trim());
        Assert.Equal("a.png", cut.Find("#score-viewer-name").TextContent.Trim());
        cut.Find("#score-viewer-next").Click();
        Assert.Equal("b.png", cut.Find("#score-viewer-name").TextContent.Trim());

        cut.Find("#score-viewer").KeyDown(new KeyboardEventArgs { Key = "Escape" });
        Assert.Empty(cut.FindAll("#score-viewer"));
        Assert.Equal(3, cut.FindAll("#score-results .funad-tile").Count);
    }

    [Fact]
    public void The_csv_lists_every_file_with_score_and_band_or_the_reason_and_never_starts_a_cell_with_a_formula()
    {
        var cut = Render();
        Drop(cut, ("=HYPERLINK(\"http://x\").png", TrainedRunFixture.NewBrick(0, 300)), ("+notes.png", NotReallyAPng));

        Assert.Equal($"funad-run{trained.RunId}-new-scores.csv", cut.Find("#score-csv").GetAttribute("download"));
        var lines = CsvOf(cut).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Equal("file,score,band,refused", lines[0]);
        // The name is quoted (it holds quotes) and starts with an apostrophe inside the quotes, as scores.csv writes it.
        Assert.StartsWith("\"'=HYPERLINK(\"\"http://x\"\").png\",", lines[1]);
        var scored = lines[1][(lines[1].LastIndexOf(".png\",", StringComparison.Ordinal) + 6)..].Split(',');
        Assert.True(double.TryParse(scored[0], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _), lines[1]);
        Assert.Contains(scored[1], new[] { "OK", "REVIEW", "NG" });
        Assert.Equal("", scored[2]);
        var refused = lines[2].Split(',', 4);
        Assert.Equal(["'+notes.png", "", ""], refused[..3]);
        Assert.False(string.IsNullOrWhiteSpace(refused[3]), "the refused file's reason is in the CSV");
        Assert.Contains(cut.Find("#score-refused li").TextContent.Split(": ", 2)[1].Trim(), refused[3]);
    }

    [Fact]
    public async Task Add_to_project_stores_the_scored_images_unlabeled_and_reports_duplicates_through_the_upload_path()
    {
        var cut = Render();
        var fresh = TrainedRunFixture.NewBrick(200, 400);
        Drop(cut, ("fresh.png", fresh), ("again.png", trained.TrainingImage), ("notes.png", NotReallyAPng));

        cut.Find("#score-add").Click();

        cut.WaitForAssertion(() => Assert.Equal("1 added to the project (unlabeled), 1 already there, 0 refused.", cut.Find("#score-added-counts").TextContent.Trim()));
        Assert.True(cut.Find("#score-add").HasAttribute("disabled"), "added once; the bytes are let go");
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(fresh));
        await using var db = await trained.Catalogue.Factory.CreateDbContextAsync();
        var stored = await db.Images.AsNoTracking().SingleAsync(i => i.ContentHash == hash);
        Assert.Equal(trained.ProjectId, stored.ProjectId);
        Assert.Equal("fresh.png", stored.OriginalName);
        Assert.Equal(ImageLabel.Unlabeled, stored.Label);
        Assert.True(File.Exists(trained.Catalogue.Store.Resolve(stored.StoredPath)));
        // The refused file was never scored, so it is not offered to the project.
        Assert.False(await db.Images.AnyAsync(i => i.ProjectId == trained.ProjectId && i.OriginalName == "notes.png"));
        var audit = await db.Audit.AsNoTracking().Where(a => a.Action == "upload").OrderByDescending(a => a.Id).FirstAsync();
        Assert.Equal("editor@x", audit.Actor);
        Assert.Equal($"project {trained.ProjectId}", audit.Target);
        Assert.Equal($"scored with run {trained.RunId}: 2 file(s): 1 accepted, 1 duplicate, 0 refused", audit.Detail);
        // The results stay shown.
        Assert.Equal(3, cut.FindAll("#score-results .funad-tile").Count);
    }

    [Fact]
    public void Images_the_importer_refuses_are_named_with_the_reason()
    {
        var cut = Render();
        // Real image bytes under a name no upload takes: scored (the decoder reads the bytes), refused by the importer (it judges names too).
        Drop(cut, ("scan.txt", TrainedRunFixture.NewBrick(300, 400)));
        Assert.Empty(cut.FindAll("#score-refused"));

        cut.Find("#score-add").Click();

        cut.WaitForAssertion(() => Assert.Equal("0 added to the project (unlabeled), 0 already there, 1 refused.", cut.Find("#score-added-counts").TextContent.Trim()));
        Assert.StartsWith("scan.txt:", cut.Find("#score-added li").TextContent.Trim());
    }

    [Fact]
    public void A_drop_that_is_refused_keeps_the_results_already_shown()
    {
        var cut = Render();
        Drop(cut, ("a.png", TrainedRunFixture.NewBrick(0, 300)), ("b.png", TrainedRunFixture.NewBrick(100, 300)));
        var csv = CsvOf(cut);

        Drop(cut, Enumerable.Range(0, ScoringLimits.Default.MaxImages + 1).Select(i => ($"{i}.png", NotReallyAPng)).ToArray());

        Assert.Contains($"{ScoringLimits.Default.MaxImages}", cut.Find("#score-error").TextContent);
        Assert.Contains("The results below are from the earlier drop.", cut.Find("#score-error").TextContent);
        Assert.Equal(2, cut.FindAll("#score-results .funad-tile").Count);
        Assert.Equal(csv, CsvOf(cut));

        // The next drop that is scored replaces them and clears the error.
        Drop(cut, ("c.png", TrainedRunFixture.NewBrick(200, 300)));
        Assert.Empty(cut.FindAll("#score-error"));
        Assert.StartsWith("c.png · ", Assert.Single(cut.FindAll("#score-results .funad-tile .funad-tile-name")).TextContent);
        Assert.NotEqual(csv, CsvOf(cut));
    }
}
