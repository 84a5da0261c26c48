using System.IO.Compression;
using System.Text.RegularExpressions;
using FunAd.Tests.Support;
using FunAd.Tests.Web;
using Microsoft.Playwright;

namespace FunAd.Tests.Browser;

/// <summary>
/// What a new user does, in a real browser against the real server (Kestrel, SQLite, Hangfire): sign
/// in, create a project, upload a zip with some bad files in it, start a run, watch it finish, cancel another.
/// </summary>
public sealed class TrainingFlowTests : BrowserTest
{
    /// <summary>A zip of brick crops in a folder, plus a corrupt file, a text file and a duplicate.</summary>
    private string MakeZip()
    {
        var path = files.Combine("bricks.zip");
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        byte[]? first = null;
        for (var i = 0; i < 10; i++)
        {
            using var crop = TestImages.BrickCrop(i % 5 * 80, i / 5 * 120, 96);
            using var memory = new MemoryStream();
            SixLabors.ImageSharp.ImageExtensions.SaveAsPng(crop, memory);
            first ??= memory.ToArray();
            using var entry = zip.CreateEntry($"line1/{i:00}.png").Open();
            entry.Write(memory.ToArray());
        }
        using (var duplicate = zip.CreateEntry("line1/copy-of-00.png").Open()) duplicate.Write(first);
        using (var corrupt = zip.CreateEntry("line1/broken.png").Open()) corrupt.Write(first![..200]);
        using (var text = zip.CreateEntry("line1/notes.txt").Open()) text.Write("not an image"u8);
        return path;
    }

    /// <summary>With FUNAD_SCREENSHOTS set to a folder, the flow leaves a picture of each step there (for people, not for asserts).</summary>
    private static async Task SnapAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("FUNAD_SCREENSHOTS") is { Length: > 0 } folder)
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }

    /// <summary>Clicks do nothing until the circuit is up; the layout marks that moment.</summary>
    private static Task WaitInteractiveAsync(IPage page) =>
        Assertions.Expect(page.Locator("#funad-interactive")).ToHaveAttributeAsync("data-ready", "true");

    [BrowserFact]
    public async Task Sign_in_create_a_project_upload_a_zip_train_watch_it_finish_and_cancel_another()
    {
        var context = await browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = host.Address, AcceptDownloads = true });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        // The suite runs test classes in parallel on two cores: the page may answer slowly, never wrongly.
        Assertions.SetDefaultExpectTimeout(60_000);
        try
        {
            await FlowAsync(page);
        }
        catch
        {
            var shot = Path.Combine(Path.GetTempPath(), "funad-training-flow-failure.png");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot, FullPage = true });
            Console.Error.WriteLine($"browser test failed on {page.Url}; screenshot: {shot}");
            throw;
        }
        await context.CloseAsync();
    }

    private async Task FlowAsync(IPage page)
    {

        await page.GotoAsync("/projects");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/login"));
        await page.FillAsync("#email", FunAdWebFactory.AdminEmail);
        await page.FillAsync("#password", FunAdWebFactory.AdminPassword);
        await page.ClickAsync("#sign-in");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/projects$"));
        await WaitInteractiveAsync(page);

        await page.ClickAsync("#new-project");
        await page.FillAsync("#project-name", "Bricks line 1");
        await page.ClickAsync("#create-project");
        await Assertions.Expect(page.Locator("#project-title")).ToHaveTextAsync("Bricks line 1");
        await page.ClickAsync("#upload-panel .mud-expand-panel-header");

        await Assertions.Expect(page.Locator("#upload-zone")).ToHaveAttributeAsync("data-ready", "true");
        await page.Locator("#upload-files").SetInputFilesAsync(MakeZip());
        await Assertions.Expect(page.Locator("#upload-status")).ToContainTextAsync("Done:", new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("#count-accepted")).ToHaveTextAsync("10 accepted");
        await Assertions.Expect(page.Locator("#count-duplicate")).ToHaveTextAsync("1 duplicates");
        await Assertions.Expect(page.Locator("#count-refused")).ToHaveTextAsync("2 refused");
        await Assertions.Expect(page.Locator("#upload-verdicts")).ToContainTextAsync("broken.png");
        await Assertions.Expect(page.Locator("#image-grid .funad-tile")).ToHaveCountAsync(10);
        await SnapAsync(page, "1-project-upload");

        // A short run: the dialog's parameters are editable; changing one makes the run custom.
        await page.GetByRole(AriaRole.Tab, new() { NameRegex = new Regex("^Runs") }).ClickAsync();
        await page.ClickAsync("#new-run");
        await page.Locator("#run-advanced summary").ClickAsync();
        // The expected share of defects, asked outside the advanced fold, is the set-aside share the table shows.
        await Assertions.Expect(page.Locator("input.funad-param[data-name='setAsideShare']")).ToHaveValueAsync("0.15");
        await page.Locator("#run-expected-share").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasTextRegex = new Regex("^Few") }).ClickAsync();
        await Assertions.Expect(page.Locator("input.funad-param[data-name='setAsideShare']")).ToHaveValueAsync("0.05");
        await page.Locator("input.funad-param[data-name='epochs']").FillAsync("3");
        await page.Locator("input.funad-param[data-name='epochs']").BlurAsync();
        await SnapAsync(page, "2-new-run");
        await page.ClickAsync("#start-run");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/runs/\\d+$"));
        await Assertions.Expect(page.Locator("#run-phase")).ToHaveTextAsync("Finished", new() { Timeout = 180_000 });
        await Assertions.Expect(page.Locator("#run-epoch")).ToContainTextAsync("3");
        await Assertions.Expect(page.Locator("#gallery .funad-tile")).ToHaveCountAsync(10);
        await page.GetByRole(AriaRole.Tab, new() { Name = "Training" }).ClickAsync();
        await Assertions.Expect(page.Locator("#loss-chart")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#run-log")).ToContainTextAsync("trained on 10 images");
        await SnapAsync(page, "3-run-finished");
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#download-model"));
        var model = files.Combine("model.onnx");
        await download.SaveAsAsync(model);
        using (var session = new Microsoft.ML.OnnxRuntime.InferenceSession(model))
            Assert.Contains("anomaly_map", session.OutputMetadata.Keys);

        // A long run, cancelled from its page while it trains.
        await page.GotoAsync("/projects/1");
        await WaitInteractiveAsync(page);
        await page.GetByRole(AriaRole.Tab, new() { NameRegex = new Regex("^Runs") }).ClickAsync();
        await page.ClickAsync("#new-run");
        await page.Locator("#run-advanced summary").ClickAsync();
        await page.Locator("input.funad-param[data-name='epochs']").FillAsync("5000");
        await page.Locator("input.funad-param[data-name='epochs']").BlurAsync();
        await page.ClickAsync("#start-run");
        await Assertions.Expect(page.Locator("#run-phase")).ToHaveTextAsync("Training", new() { Timeout = 120_000 });
        await SnapAsync(page, "4-run-training");
        await page.ClickAsync("#cancel-run");
        await Assertions.Expect(page.Locator("#run-phase")).ToHaveTextAsync("Cancelled", new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("#run-log")).ToContainTextAsync("cancelled by a user");
    }
}
