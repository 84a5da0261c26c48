using System.Net.Http.Json;
using System.Text.Json;
using FunAd.Tests.Support;
using FunAd.Tests.Uploads;
using Xunit.Abstractions;

namespace FunAd.Tests.Reliability;

/// <summary>
/// The running app's data root fills up under it: every upload is refused with the reason, a training
/// run records why it stopped, nothing half-written is left, and everything works again once space returns.
/// The same for the project folders turning read-only under it (a read-only bind mount: remounting the
/// whole root read-only is refused while the catalogue's files are open for writing).
/// </summary>
[Collection(RealProcesses.Name)]
public sealed class DataRootFaultTests(ITestOutputHelper output)
{
    private static readonly object QuickRun = new
    {
        method = "funad", profile = "custom", seed = 1,
        parameters = new Dictionary<string, string> { ["epochs"] = "200", ["batchSize"] = "4", ["checkpointEvery"] = "1" },
    };

    private static MultipartFormDataContent Images(int count, int seed, int size = 96)
    {
        var form = new MultipartFormDataContent();
        for (var i = 0; i < count; i++) form.Add(new ByteArrayContent(UploadTestFiles.Png(size, size, seed + i)), "files", $"{seed + i:000}.png");
        return form;
    }

    private static async Task<JsonElement> UploadAsync(ServerProcess server, MultipartFormDataContent form)
    {
        var reply = await server.Client.PostAsync("/api/v1/projects/1/uploads", form);
        var body = await reply.Content.ReadAsStringAsync();
        Assert.True(reply.IsSuccessStatusCode || reply.StatusCode == System.Net.HttpStatusCode.InsufficientStorage, $"{reply.StatusCode}: {body}\n{server.Output}");
        return JsonDocument.Parse(body).RootElement;
    }

    private static async Task<int> ImageCountAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/v1/projects/1/labels")).GetProperty("all").GetInt32();

    [MountFact]
    public async Task A_full_disk_refuses_uploads_whole_fails_the_run_with_the_reason_and_recovers_when_space_returns()
    {
        using var disk = new MountedDataRoot(160);
        await using var server = await ServerProcess.StartAsync(disk.Path, "--FunAd:Recovery:HeartbeatSeconds=1", "--FunAd:Recovery:StaleAfterSeconds=600");
        var client = server.Client;
        (await client.PostAsJsonAsync("/api/v1/projects", new { name = "full disk" })).EnsureSuccessStatusCode();
        Assert.Equal(12, (await UploadAsync(server, Images(12, 0))).GetProperty("accepted").GetInt32());
        var run = (await (await client.PostAsJsonAsync("/api/v1/projects/1/runs", QuickRun)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        await client.WaitForRunAsync(run, r => r.GetProperty("epoch").GetInt32() >= 2, TimeSpan.FromMinutes(3));

        // Held full for a few epochs: the run's checkpoint replacements free space the filler then takes.
        disk.Fill(leaveBytes: 16 * 1024, holdFor: TimeSpan.FromSeconds(4));
        var refused = await UploadAsync(server, Images(20, 100, 192));
        output.WriteLine($"upload on a full disk: {refused}");
        // Where the space ran out decides the wording: the files could not be stored (each refused with the
        // reason), or the catalogue could not grow (the batch is not saved and the reply says why, 507);
        // either way the reason says the disk is full, and never a bare 500.
        if (refused.TryGetProperty("files", out var files))
            Assert.All(files.EnumerateArray(), f =>
            {
                Assert.Equal("refused", f.GetProperty("outcome").GetString());
                Assert.Contains("the data root's disk is full", f.GetProperty("reason").GetString());
            });
        // Accepted with each file's verdict, or a problem (507) whose detail says why the batch was not saved.
        var reason = refused.TryGetProperty("detail", out var detail) ? detail.GetString() : refused.GetProperty("error").GetString();
        if (reason is { } error) Assert.StartsWith("the data root's disk is full", error);
        // The run stops on its next checkpoint or progress write (the server logs it); it says why once it can write again.
        var stopped = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (!server.Output.Contains($"Run {run} failed") && DateTime.UtcNow < stopped) await Task.Delay(100);
        Assert.Contains($"Run {run} failed", server.Output);
        disk.Unfill();
        var failed = await client.WaitForRunAsync(run, r => r.GetProperty("status").GetString() == "failed", TimeSpan.FromMinutes(2));
        output.WriteLine($"run on a full disk: {failed.GetProperty("error")}");
        Assert.StartsWith("the data root's disk is full", failed.GetProperty("error").GetString());

        Assert.Equal(12, await ImageCountAsync(client));
        Assert.Empty(Directory.EnumerateFiles(disk.Path, "*.partial", SearchOption.AllDirectories));
        Assert.Equal(20, (await UploadAsync(server, Images(20, 100, 192))).GetProperty("accepted").GetInt32());
        var again = (await (await client.PostAsJsonAsync("/api/v1/projects/1/runs", new
        {
            method = "funad", profile = "custom", seed = 1, parameters = new Dictionary<string, string> { ["epochs"] = "3", ["batchSize"] = "4" },
        })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        await client.WaitForSuccessAsync(again, TimeSpan.FromMinutes(3));
        var check = FunAdProcess.Run(disk.Path, "check");
        Assert.True(check.ExitCode == 0, check.Output + check.Error);
    }

    [MountFact]
    public async Task Project_folders_turning_read_only_refuse_uploads_and_fail_runs_with_the_reason_and_recover()
    {
        using var disk = new MountedDataRoot(160);
        await using var server = await ServerProcess.StartAsync(disk.Path);
        var client = server.Client;
        (await client.PostAsJsonAsync("/api/v1/projects", new { name = "read-only" })).EnsureSuccessStatusCode();
        Assert.Equal(6, (await UploadAsync(server, Images(6, 0))).GetProperty("accepted").GetInt32());

        disk.ReadOnly("projects");
        try
        {
            var refused = await UploadAsync(server, Images(4, 50));
            output.WriteLine($"upload into read-only project folders: {refused}");
            Assert.Equal(0, refused.GetProperty("accepted").GetInt32());
            Assert.All(refused.GetProperty("files").EnumerateArray(), f =>
                Assert.Equal("could not be stored: the data root is read-only (Read-only file system); an administrator must make it writable again", f.GetProperty("reason").GetString()));
            var run = (await (await client.PostAsJsonAsync("/api/v1/projects/1/runs", QuickRun)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
            var failed = await client.WaitForRunAsync(run, r => r.GetProperty("status").GetString() == "failed", TimeSpan.FromMinutes(3));
            output.WriteLine($"run with read-only project folders: {failed.GetProperty("error")}");
            Assert.StartsWith("the data root is read-only", failed.GetProperty("error").GetString());
            // What is stored stays readable.
            Assert.True((await client.GetAsync("/files/images/1")).IsSuccessStatusCode);
            Assert.Equal(6, await ImageCountAsync(client));
        }
        finally
        {
            disk.ReadWrite("projects");
        }

        Assert.Equal(4, (await UploadAsync(server, Images(4, 50))).GetProperty("accepted").GetInt32());
        var again = (await (await client.PostAsJsonAsync("/api/v1/projects/1/runs", new
        {
            method = "funad", profile = "custom", seed = 1, parameters = new Dictionary<string, string> { ["epochs"] = "3", ["batchSize"] = "4" },
        })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        await client.WaitForSuccessAsync(again, TimeSpan.FromMinutes(3));
        Assert.Empty(Directory.EnumerateFiles(disk.Path, "*.partial", SearchOption.AllDirectories));
        var check = FunAdProcess.Run(disk.Path, "check");
        Assert.True(check.ExitCode == 0, check.Output + check.Error);
    }
}
