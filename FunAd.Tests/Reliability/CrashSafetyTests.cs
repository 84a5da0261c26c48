using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using FunAd.Tests.Support;
using FunAd.Tests.Uploads;
using Microsoft.Data.Sqlite;

namespace FunAd.Tests.Reliability;

/// <summary>The app killed with SIGKILL in the middle of training loses nothing and ends where an uninterrupted run ends.</summary>
[Collection(RealProcesses.Name)]
public sealed class CrashSafetyTests : IDisposable
{
    private readonly TemporaryFolder data = new();

    private static object QuickRun(int epochs) => new
    {
        method = "funad", profile = "custom", seed = 3,
        parameters = new Dictionary<string, string> { ["epochs"] = $"{epochs}", ["batchSize"] = "4", ["checkpointEvery"] = "2" },
    };

    /// <summary>
    /// Killed while extracting features (a feature cache half written), mid-training (after a
    /// checkpoint), or while scoring the project's images after export (heatmaps half written): after
    /// the restart the run finishes with exactly the scores of an uninterrupted run with the same seed.
    /// </summary>
    [Theory]
    [InlineData("features", 60, 4)]
    [InlineData("training", 12, 30)]
    [InlineData("scoring", 60, 4)]
    public async Task A_run_killed_mid_way_resumes_after_restart_and_scores_like_an_uninterrupted_run(string phase, int images, int epochs)
    {
        int runId;
        await using (var first = await ServerProcess.StartAsync(data.Path))
        {
            var project = await (await first.Client.PostAsJsonAsync("/api/v1/projects", new { name = "crash" })).Content.ReadFromJsonAsync<JsonElement>();
            var projectId = project.GetProperty("id").GetInt32();
            using (var form = new MultipartFormDataContent())
            {
                for (var i = 0; i < images; i++) form.Add(new ByteArrayContent(UploadTestFiles.Png(96, 96, i)), "files", $"{i:00}.png");
                (await first.Client.PostAsync($"/api/v1/projects/{projectId}/uploads", form)).EnsureSuccessStatusCode();
            }
            runId = (await (await first.Client.PostAsJsonAsync($"/api/v1/projects/{projectId}/runs", QuickRun(epochs))).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
            Func<JsonElement, bool> reached = phase == "training"
                ? r => r.GetProperty("epoch").GetInt32() >= 6
                : r => r.GetProperty("phase").GetString() == phase;
            await first.Client.WaitForRunAsync(runId, reached, TimeSpan.FromMinutes(4), every: TimeSpan.FromMilliseconds(20));
            first.Kill();
        }

        await using var second = await ServerProcess.StartAsync(data.Path);
        var resumed = await second.Client.WaitForSuccessAsync(runId, TimeSpan.FromMinutes(4));
        if (phase == "training") Assert.True(resumed.GetProperty("resumedFromEpoch").GetInt32() >= 4, resumed.ToString());
        var log = (await second.Client.GetFromJsonAsync<JsonElement[]>($"/api/v1/runs/{runId}/log"))!.Select(l => l.GetProperty("message").GetString()!).ToList();
        Assert.Contains(log, l => l.StartsWith("the worker died"));
        // Killed mid-training it resumes from its checkpoint; killed while scoring, its training had
        // finished and removed its checkpoints, so it trains again from the start (same seed, same model).
        if (phase == "training") Assert.Contains(log, l => l.StartsWith("resumed from the checkpoint"));

        var again = (await (await second.Client.PostAsJsonAsync("/api/v1/projects/1/runs", QuickRun(epochs))).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        await second.Client.WaitForSuccessAsync(again, TimeSpan.FromMinutes(4));
        var interrupted = await ScoresAsync(second.Client, runId);
        var uninterrupted = await ScoresAsync(second.Client, again);
        Assert.Equal(images, interrupted.Count);
        Assert.Equal(uninterrupted.Keys.Order(), interrupted.Keys.Order());
        Assert.All(interrupted, s => Assert.Equal(uninterrupted[s.Key], s.Value, 6));
        // Every image has its heatmap, none half written.
        var scores = (await second.Client.GetFromJsonAsync<JsonElement[]>($"/api/v1/runs/{runId}/scores"))!;
        Assert.All(scores, s => Assert.NotEqual(JsonValueKind.Null, s.GetProperty("heatmapUrl").ValueKind));
        Assert.Empty(Directory.EnumerateFiles(data.Path, "*.partial", SearchOption.AllDirectories));

        // Nothing accepted before the kill is gone, and every row still has its file.
        await using var db = new SqliteConnection($"Data Source={Path.Combine(data.Path, "catalogue.db")};Mode=ReadOnly");
        await db.OpenAsync();
        await using var command = db.CreateCommand();
        command.CommandText = "SELECT StoredPath FROM Images";
        var stored = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) stored.Add(reader.GetString(0));
        Assert.Equal(images, stored.Count);
        Assert.All(stored, p => Assert.True(File.Exists(Path.Combine(data.Path, p)), p));
    }

    [Fact]
    public async Task An_upload_killed_midway_is_complete_or_absent_after_restart()
    {
        await using (var first = await ServerProcess.StartAsync(data.Path))
        {
            (await first.Client.PostAsJsonAsync("/api/v1/projects", new { name = "upload crash" })).EnsureSuccessStatusCode();
            using var form = new MultipartFormDataContent();
            for (var i = 0; i < 400; i++) form.Add(new ByteArrayContent(UploadTestFiles.Png(192, 192, i)), "files", $"{i:000}.png");
            var upload = first.Client.PostAsync("/api/v1/projects/1/uploads", form);
            // Killed once the batch's files are being stored: they are written before the one commit at the end.
            var images = Path.Combine(data.Path, "projects", "1", "images");
            while (!upload.IsCompleted && (!Directory.Exists(images) || Directory.EnumerateFiles(images, "*", SearchOption.AllDirectories).Count() < 20))
                await Task.Delay(10);
            Assert.False(upload.IsCompleted, "the upload finished before the kill: the batch must be larger for this test to mean anything");
            first.Kill();
            await Assert.ThrowsAnyAsync<Exception>(() => upload);
        }

        int count;
        await using (var second = await ServerProcess.StartAsync(data.Path))
        {
            var labels = await second.Client.GetFromJsonAsync<JsonElement>("/api/v1/projects/1/labels");
            count = labels.GetProperty("all").GetInt32();
            Assert.True(count is 0 or 400, $"{count} images: a batch is one transaction, so all or none");
            Assert.Empty(Directory.EnumerateFiles(data.Path, "*.partial", SearchOption.AllDirectories));
        }

        // No row lacks its file. Files stored before the kill but never committed are listed as recent
        // orphans (left alone for an hour, as they could belong to an upload in progress; repair removes them later).
        var check = FunAdProcess.Run(data.Path, "check");
        Assert.True(check.ExitCode == 0, check.Output + check.Error);
        Assert.Contains("clean", check.Output);
        if (count == 0) Assert.Contains("recent file(s) left alone", check.Output);
    }

    private static async Task<Dictionary<string, double>> ScoresAsync(HttpClient client, int runId)
    {
        var csv = await client.GetStringAsync($"/api/v1/runs/{runId}/scores.csv");
        return csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(','))
            .ToDictionary(f => f[0], f => double.Parse(f[1], CultureInfo.InvariantCulture));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        data.Dispose();
    }
}

/// <summary>A data root that cannot be written stops the app at once with one sentence that names it.</summary>
public sealed class DataRootTests
{
    [Fact]
    public void An_unwritable_data_root_stops_the_app_with_a_clear_reason()
    {
        using var folder = new TemporaryFolder();
        var blocker = folder.Combine("not-a-folder");
        File.WriteAllText(blocker, "a file where the data root's parent folder should be");
        var root = Path.Combine(blocker, "data");

        var result = FunAdProcess.Run(folder.Path, "serve", "--urls", "http://127.0.0.1:0", $"--FunAd:DataRoot={root}");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"funad: The data root {root} cannot be written", result.Error.Trim());
        Assert.Contains("FunAd__DataRoot", result.Error);
    }
}
