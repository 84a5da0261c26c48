using System.IO.Compression;
using Microsoft.Playwright;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using static FunAd.Tests.Uploads.UploadTestFiles;

namespace FunAd.Tests.Browser;

/// <summary>
/// An MVTec-style set of 210 files (170 noisy 256 px images, over 30 MB, and 40 masks) uploaded as a
/// zip and as a folder, in a real browser: the page never hangs, every mask lands on its image although
/// the folder goes in several batches, and no page logs an error.
/// </summary>
public sealed class UploadFlowTests : BrowserTest
{
    private const int TrainGood = 100, TestGood = 30, Cracks = 40;

    /// <summary>Random pixels: PNG cannot compress them, so the set weighs what a real one does.</summary>
    private static byte[] Noise(int seed, int side = 256)
    {
        var random = new Random(seed);
        using var image = new Image<Rgb24>(side, side);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
                foreach (ref var pixel in rows.GetRowSpan(y))
                    pixel = new Rgb24((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
        });
        using var output = new MemoryStream();
        image.SaveAsPng(output);
        return output.ToArray();
    }

    private static IEnumerable<(string Path, byte[] Content)> Set()
    {
        for (var i = 0; i < TrainGood; i++) yield return ($"set/train/good/{i:000}.png", Noise(i));
        for (var i = 0; i < TestGood; i++) yield return ($"set/test/good/{i:000}.png", Noise(1000 + i));
        for (var i = 0; i < Cracks; i++)
        {
            yield return ($"set/test/crack/{i:000}.png", Noise(2000 + i));
            yield return ($"set/ground_truth/crack/{i:000}_mask.png", Mask(256, 256, new Rectangle(10 + i, 20, 30, 8)));
        }
    }

    [BrowserFact]
    public async Task A_big_zip_and_the_same_set_as_a_folder_both_land_with_every_mask()
    {
        var set = Set().ToList();
        var zip = files.Combine("set.zip");
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
            foreach (var (path, content) in set)
            {
                using var entry = archive.CreateEntry(path, CompressionLevel.NoCompression).Open();
                entry.Write(content);
            }
        Assert.True(new FileInfo(zip).Length > 30L * 1024 * 1024, $"the zip is {new FileInfo(zip).Length} bytes");
        var folder = files.Combine("folder");
        foreach (var (path, content) in set)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(folder, path))!);
            System.IO.File.WriteAllBytes(Path.Combine(folder, path), content);
        }

        var (page, errors) = await SignedInPageAsync("/projects", 120_000);

        foreach (var (name, input, source) in new[] { ("as a zip", "#upload-files", zip), ("as a folder", "#upload-folder", Path.Combine(folder, "set")) })
        {
            await page.GotoAsync("/projects");
            await Assertions.Expect(page.Locator("#funad-interactive")).ToHaveAttributeAsync("data-ready", "true");
            await page.ClickAsync("#new-project");
            await page.FillAsync("#project-name", $"Set {name}");
            await page.ClickAsync("#create-project");
            await Assertions.Expect(page.Locator("#project-title")).ToHaveTextAsync($"Set {name}");

            // The drop zone's script attaches after the page is interactive; files chosen before that go unseen.
            await Assertions.Expect(page.Locator("#upload-zone")).ToHaveAttributeAsync("data-ready", "true");
            await page.Locator(input).SetInputFilesAsync(source);

            // The zip's 210 verdicts once weighed more than one message to the page may: it hung at "Uploading".
            await Assertions.Expect(page.Locator("#upload-status")).ToContainTextAsync("Done:");
            await Assertions.Expect(page.Locator("#count-accepted")).ToHaveTextAsync($"{set.Count} accepted");
            await Assertions.Expect(page.Locator("#count-refused")).ToHaveTextAsync("0 refused");
            Assert.Equal(0, await page.Locator("#upload-disconnected").CountAsync());
            // The panel stays open after the batches (it used to fold away after the first).
            await Assertions.Expect(page.Locator("#upload-verdicts")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#label-filter")).ToContainTextAsync($"{Cracks} with masks");
            await Assertions.Expect(page.Locator("#label-filter")).ToContainTextAsync($"Defective {Cracks}");
            await Assertions.Expect(page.Locator("#label-filter")).ToContainTextAsync($"Good {TrainGood + TestGood}");
        }
        await page.Context.CloseAsync();
        Assert.Empty(errors);
    }

    [BrowserFact]
    public async Task An_upload_cut_off_by_the_network_says_what_was_not_sent_and_a_retry_sends_it()
    {
        // 150 files: two batches of the script (100 files at most each).
        var folder = files.Combine("flaky");
        Directory.CreateDirectory(folder);
        for (var i = 0; i < 150; i++) System.IO.File.WriteAllBytes(Path.Combine(folder, $"{i:000}.png"), Noise(5000 + i, 24));

        var context = await browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = host.Address });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        // The script waits 1 s and 3 s before its two retries.
        Assertions.SetDefaultExpectTimeout(30_000);
        await BrowserSetup.SignInAsAdminAsync(page, "/projects");
        await page.ClickAsync("#new-project");
        await page.FillAsync("#project-name", "Flaky network");
        await page.ClickAsync("#create-project");
        await Assertions.Expect(page.Locator("#upload-zone")).ToHaveAttributeAsync("data-ready", "true");

        // The network drops every request after the first batch's, including the script's own two retries.
        var posts = 0;
        var down = true;
        await page.RouteAsync("**/uploads", async route =>
        {
            if (++posts > 1 && down) await route.AbortAsync("connectionreset");
            else await route.ContinueAsync();
        });
        await page.Locator("#upload-folder").SetInputFilesAsync(folder);

        await Assertions.Expect(page.Locator("#upload-failed")).ToContainTextAsync("50 file(s) were not sent");
        await Assertions.Expect(page.Locator("#upload-status")).ToContainTextAsync("Upload stopped: the connection failed");
        await Assertions.Expect(page.Locator("#count-accepted")).ToHaveTextAsync("100 accepted");
        Assert.Equal(4, posts);

        down = false;
        await page.ClickAsync("#upload-retry");
        await Assertions.Expect(page.Locator("#upload-status")).ToContainTextAsync("Done:");
        await Assertions.Expect(page.Locator("#count-accepted")).ToHaveTextAsync("150 accepted");
        await Assertions.Expect(page.Locator("#count-duplicate")).ToHaveTextAsync("0 duplicates");
        Assert.Equal(0, await page.Locator("#upload-failed").CountAsync());
        await Assertions.Expect(page.Locator("#label-filter")).ToContainTextAsync("All 150");
        await context.CloseAsync();
    }
}
