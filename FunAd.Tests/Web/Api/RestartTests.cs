using System.Net.Http.Json;
using System.Text.Json;
using FunAd.Tests.Support;
using FunAd.Tests.Uploads;

namespace FunAd.Tests.Web.Api;

/// <summary>A run survives an app restart: stopped while it trains, it is queued again and resumes from its checkpoint.</summary>
public sealed class RestartTests
{
    [Fact]
    public async Task A_run_interrupted_by_a_restart_resumes_from_its_checkpoint_and_finishes()
    {
        var data = new TemporaryFolder();
        var first = await RunningHost.StartAsync(data);
        first.KeepData = true;
        await first.SignInAsync();
        var project = await (await first.Client.PostAsJsonAsync("/api/v1/projects", new { name = "restart" })).Content.ReadFromJsonAsync<JsonElement>();
        var projectId = project.GetProperty("id").GetInt32();
        using (var form = new MultipartFormDataContent())
        {
            for (var i = 0; i < 8; i++) form.Add(new ByteArrayContent(UploadTestFiles.Png(96, 96, i)), "files", $"{i}.png");
            (await first.Client.PostAsync($"/api/v1/projects/{projectId}/uploads", form)).EnsureSuccessStatusCode();
        }
        var started = await first.Client.PostAsJsonAsync($"/api/v1/projects/{projectId}/runs", new
        {
            method = "funad", profile = "custom", seed = 1,
            parameters = new Dictionary<string, string> { ["epochs"] = "400", ["batchSize"] = "4", ["checkpointEvery"] = "1", ["syntheticAnomalies"] = "false" },
        });
        var runId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        await first.Client.WaitForRunAsync(runId, r => r.GetProperty("epoch").GetInt32() >= 3);

        await first.DisposeAsync();

        await using var second = await RunningHost.StartAsync(data);
        await second.SignInAsync();
        await second.Client.WaitForRunAsync(runId, r => r.GetProperty("status").GetString() == "running");
        var lines = new List<string>();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (!lines.Any(l => l.StartsWith("resumed from the checkpoint")) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            var log = await second.Client.GetFromJsonAsync<JsonElement[]>($"/api/v1/runs/{runId}/log");
            lines = log!.Select(l => l.GetProperty("message").GetString()!).ToList();
        }
        // Cancel rather than wait 400 epochs: what matters is that it picked up where it stopped.
        (await second.Client.PostAsync($"/api/v1/runs/{runId}/cancel", null)).EnsureSuccessStatusCode();

        Assert.Contains(lines, l => l.Contains("the worker stopped"));
        Assert.Equal(2, lines.Count(l => l.StartsWith("started on")));
        var resumedAt = lines.Single(l => l.StartsWith("resumed from the checkpoint"));
        var epoch = int.Parse(System.Text.RegularExpressions.Regex.Match(resumedAt, @"epoch (\d+)").Groups[1].Value);
        Assert.True(epoch >= 4, resumedAt);
        var epochs = await second.Client.GetFromJsonAsync<JsonElement[]>($"/api/v1/runs/{runId}/epochs");
        Assert.Equal(epochs!.Select(e => e.GetProperty("epoch").GetInt32()).Distinct().Count(), epochs!.Length);
    }
}
