using System.Net.Http.Json;
using System.Text.Json;
using FunAd.Tests.Support;
using Microsoft.Playwright;

namespace FunAd.Tests.Browser;

/// <summary>
/// Scoring new images on a finished run's page in a real browser: the file input covers the whole drop
/// zone, two files dropped on it give two results, a drop beside it is swallowed (not opened in place of
/// the page), a tile opens the viewer, the CSV downloads, the images go into the project, and a click on
/// the zone opens the file chooser.
/// </summary>
public sealed class ScoreNewImagesFlowTests : BrowserTest
{
    private static string Crop(string path, int x, int y)
    {
        using var crop = TestImages.BrickCrop(x, y, 96);
        return TestImages.Save(crop, path);
    }

    private static async Task SnapAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("FUNAD_SCREENSHOTS") is { Length: > 0 } folder)
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }

    [BrowserFact]
    public async Task Two_images_dropped_on_the_zone_are_scored_viewed_downloaded_and_added_to_the_project_and_a_click_chooses_more()
    {
        await host.SignInAsync();
        var project = await (await host.Client.PostAsJsonAsync("/api/v1/projects", new { name = "bricks" })).Content.ReadFromJsonAsync<JsonElement>();
        var projectId = project.GetProperty("id").GetInt32();
        using (var form = new MultipartFormDataContent())
        {
            for (var i = 0; i < 8; i++)
                form.Add(new ByteArrayContent(await File.ReadAllBytesAsync(Crop(files.Combine($"train{i}.png"), i % 4 * 100, i / 4 * 100))), "files", $"train{i}.png");
            (await host.Client.PostAsync($"/api/v1/projects/{projectId}/uploads", form)).EnsureSuccessStatusCode();
        }
        var run = await (await host.Client.PostAsJsonAsync($"/api/v1/projects/{projectId}/runs", new { method = "patchcore" })).Content.ReadFromJsonAsync<JsonElement>();
        var runId = run.GetProperty("id").GetInt32();
        await host.Client.WaitForSuccessAsync(runId);
        var chosen = new[] { Crop(files.Combine("new-a.png"), 0, 300), Crop(files.Combine("new-b.png"), 100, 300) };

        var context = await browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = host.Address, AcceptDownloads = true, ViewportSize = new() { Width = 1366, Height = 900 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        Assertions.SetDefaultExpectTimeout(60_000);
        var errors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") errors.Add($"{page.Url}: {message.Text}"); };
        await BrowserSetup.SignInAsAdminAsync(page, $"/runs/{runId}");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Score new images" }).ClickAsync();

        // The input lies over the whole zone: what is under its corners and its middle is the input, so that is where a drop lands.
        var zone = page.Locator("#score-zone");
        await Assertions.Expect(zone).ToBeVisibleAsync();
        await SnapAsync(page, "score-1-zone");
        var box = (await zone.BoundingBoxAsync())!;
        foreach (var (x, y) in new[] { (box.X + 3, box.Y + 3), (box.X + box.Width / 2, box.Y + box.Height / 2), (box.X + box.Width - 3, box.Y + box.Height - 3) })
            Assert.Equal("score-files", await page.EvaluateAsync<string>($"document.elementFromPoint({x.ToString(System.Globalization.CultureInfo.InvariantCulture)}, {y.ToString(System.Globalization.CultureInfo.InvariantCulture)}).id"));
        Assert.Equal("0", await page.Locator("#score-files").EvaluateAsync<string>("el => getComputedStyle(el).opacity"));

        // Two images dropped on the zone (a real drop, through the DevTools protocol as the OS would do it) give two results.
        var devtools = await context.NewCDPSessionAsync(page);
        foreach (var type in new[] { "dragEnter", "dragOver", "drop" })
            await devtools.SendAsync("Input.dispatchDragEvent", new Dictionary<string, object>
            {
                ["type"] = type, ["x"] = box.X + box.Width - 20, ["y"] = box.Y + 20,
                ["data"] = new Dictionary<string, object> { ["items"] = Array.Empty<object>(), ["files"] = chosen, ["dragOperationsMask"] = 1 },
            });
        var tiles = page.Locator("#score-results .funad-tile");
        await Assertions.Expect(tiles).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#score-summary")).ToHaveTextAsync("2 scored");
        await Assertions.Expect(tiles.First.Locator(".funad-heat")).ToBeVisibleAsync();
        await SnapAsync(page, "score-2-results");

        // A drop beside the zone is taken by the panel (the browser would otherwise open the file in place of
        // the page, results and all); a drop on the zone's input goes ahead.
        const string drop = "el => el.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: new DataTransfer() }))";
        Assert.False(await page.Locator("#score-results").EvaluateAsync<bool>(drop), "a drop on the results is cancelled");
        Assert.True(await page.Locator("#score-files").EvaluateAsync<bool>(drop), "a drop on the input is not cancelled");

        // A tile opens the viewer, the arrow keys step.
        await tiles.Nth(0).ClickAsync();
        await Assertions.Expect(page.Locator("#score-viewer")).ToBeFocusedAsync();
        await Assertions.Expect(page.Locator("#score-viewer-position")).ToHaveTextAsync("1 / 2");
        await Assertions.Expect(page.Locator("#score-viewer-heatmap")).ToBeVisibleAsync();
        // The heatmap is coloured in the page from the values scored with it: at the run's scale, then at the image's own,
        // where its highest values always show (a normal brick may stay untinted at the run's scale).
        await Assertions.Expect(page.Locator("#score-viewer-heatmap[data-drawn='run']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#score-viewer-legend")).ToContainTextAsync(new System.Text.RegularExpressions.Regex("[0-9]"));
        await page.Locator("#score-viewer-scale").GetByText("this image").ClickAsync();
        await Assertions.Expect(page.Locator("#score-viewer-heatmap[data-drawn='image']")).ToHaveCountAsync(1);
        var coloured = await page.Locator("#score-viewer-heatmap").EvaluateAsync<int>(
            "c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }");
        Assert.InRange(coloured, 1, 448 * 448 - 1);
        await page.Locator("#score-viewer").FocusAsync();
        await SnapAsync(page, "score-3-viewer");
        await page.Keyboard.PressAsync("ArrowRight");
        await Assertions.Expect(page.Locator("#score-viewer-name")).ToHaveTextAsync("new-b.png");
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(tiles).ToHaveCountAsync(2);

        // The CSV downloads from the page's memory.
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#score-csv"));
        Assert.Equal($"funad-run{runId}-new-scores.csv", download.SuggestedFilename);
        var csv = files.Combine("new.csv");
        await download.SaveAsAsync(csv);
        var lines = await File.ReadAllLinesAsync(csv);
        Assert.Equal(["file,score,band,refused"], lines[..1]);
        Assert.Equal(["new-a.png", "new-b.png"], lines[1..].Select(l => l.Split(',')[0]));

        // Into the project, unlabeled.
        await page.ClickAsync("#score-add");
        await Assertions.Expect(page.Locator("#score-added-counts")).ToHaveTextAsync("2 added to the project (unlabeled), 0 already there, 0 refused.");
        var images = await host.Client.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{projectId}/images?take=100");
        Assert.Equal(10, images.GetProperty("total").GetInt32());
        var added = images.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("name").GetString()!.StartsWith("new-")).ToList();
        Assert.Equal(2, added.Count);
        Assert.All(added, i => Assert.Equal("unlabeled", i.GetProperty("label").GetString()));
        await SnapAsync(page, "score-4-added");

        // A click anywhere on the zone opens the file chooser; the next images replace the results.
        var chooser = await page.RunAndWaitForFileChooserAsync(() => zone.ClickAsync(new() { Position = new() { X = 10, Y = 10 } }));
        Assert.True(chooser.IsMultiple);
        await chooser.SetFilesAsync(Crop(files.Combine("new-c.png"), 200, 300));
        await Assertions.Expect(tiles).ToHaveCountAsync(1);
        await Assertions.Expect(tiles.First.Locator(".funad-tile-name")).ToContainTextAsync("new-c.png");
        await Assertions.Expect(page.Locator("#score-add")).ToBeEnabledAsync();

        await context.CloseAsync();
        Assert.Empty(errors);
    }
}
