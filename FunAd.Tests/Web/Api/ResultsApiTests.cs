using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FunAd.Engine.Export;
using FunAd.Jobs.Hosting;
using FunAd.Tests.Support;

namespace FunAd.Tests.Web.Api;

/// <summary>One trained run for all the results tests (training is the slow part); the tests hold whatever order they run in.</summary>
public abstract class ResultsFixture(CatalogueProvider provider) : IAsyncLifetime
{
    public sealed class OnSqlite() : ResultsFixture(CatalogueProvider.Sqlite);
    public sealed class OnPostgres() : ResultsFixture(CatalogueProvider.Postgres);

    public FunAdWebFactory Factory { get; private set; } = null!;
    public TemporaryFolder Files { get; } = new();
    public HttpClient Client { get; private set; } = null!;
    public int ProjectId { get; private set; }
    public int RunId { get; private set; }

    private HttpClient client => Client;
    private TemporaryFolder files => Files;
    private int projectId => ProjectId;

    public async Task InitializeAsync()
    {
        // xunit makes class fixtures even for a class whose tests are all skipped: no server, nothing to set up.
        if (provider == CatalogueProvider.Postgres && PostgresTestServer.SkipReason is not null) return;
        Factory = new FunAdWebFactory(provider);
        Client = await Factory.SignInAsync();
        var project = await (await client.PostAsJsonAsync("/api/v1/projects", new { name = "results" })).Content.ReadFromJsonAsync<JsonElement>();
        ProjectId = project.GetProperty("id").GetInt32();
        var layout = TestImages.WriteMvtecLayout(files.Combine("set"), train: 0, testGood: 8, testDefect: 3);
        using var form = new MultipartFormDataContent();
        foreach (var path in Directory.EnumerateFiles(layout, "*.png", SearchOption.AllDirectories))
        {
            form.Add(new StringContent(Path.GetRelativePath(layout, path).Replace('\\', '/')), "path");
            form.Add(new ByteArrayContent(await File.ReadAllBytesAsync(path)), "files", Path.GetFileName(path));
        }
        (await client.PostAsync($"/api/v1/projects/{projectId}/uploads", form)).EnsureSuccessStatusCode();
        RunId = await TrainAsync(new { method = "funad", profile = "custom", seed = 2, parameters = new Dictionary<string, string> { ["epochs"] = "30", ["batchSize"] = "8" } });
    }

    public async Task<int> TrainAsync(object body)
    {
        var run = await (await client.PostAsJsonAsync($"/api/v1/projects/{projectId}/runs", body)).Content.ReadFromJsonAsync<JsonElement>();
        var id = run.GetProperty("id").GetInt32();
        await client.WaitForSuccessAsync(id);
        return id;
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (Factory is not null) await Factory.DisposeAsync();
        Files.Dispose();
    }
}

/// <summary>A finished run's results through the HTTP API: scores, CSV, metrics, verdicts, thresholds into the model, and scoring new images.</summary>
public abstract class ResultsApiTests(ResultsFixture fixture)
{
    public sealed class OnSqlite(ResultsFixture.OnSqlite fixture) : ResultsApiTests(fixture), IClassFixture<ResultsFixture.OnSqlite>;
    public sealed class OnPostgres(ResultsFixture.OnPostgres fixture) : ResultsApiTests(fixture), IClassFixture<ResultsFixture.OnPostgres>, IRunsOnPostgres;

    private HttpClient client => fixture.Client;
    private TemporaryFolder files => fixture.Files;
    private int runId => fixture.RunId;

    [CatalogueFact]
    public async Task Scores_come_highest_first_with_heatmaps_and_the_csv_says_the_same()
    {
        var scores = await client.GetFromJsonAsync<JsonElement[]>($"/api/v1/runs/{runId}/scores");
        Assert.Equal(11, scores!.Length);
        var values = scores.Select(s => s.GetProperty("score").GetDouble()).ToList();
        Assert.Equal(values.OrderByDescending(v => v), values);
        var heatmap = await client.GetAsync(scores[0].GetProperty("heatmapUrl").GetString());
        Assert.Equal("image/png", heatmap.Content.Headers.ContentType?.MediaType);

        var csv = await client.GetStringAsync($"/api/v1/runs/{runId}/scores.csv");
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("file,score,band,label,defect_type,verdict,left_out_of_bank", lines[0]);
        Assert.Equal(12, lines.Length);
        Assert.Equal(values[0], double.Parse(lines[1].Split(',')[1], CultureInfo.InvariantCulture));
    }

    [CatalogueFact]
    public async Task Metrics_use_uploaded_labels_and_verdicts_at_once()
    {
        var before = await client.GetFromJsonAsync<JsonElement>($"/api/v1/runs/{runId}/metrics");
        Assert.Equal(11, before.GetProperty("labelled").GetInt32());
        Assert.Equal(3, before.GetProperty("defects").GetInt32());
        Assert.Equal(3, before.GetProperty("maskedImages").GetInt32());
        Assert.True(before.GetProperty("pixelAuroc").GetDouble() > 0.5);
        var pixelRoc = before.GetProperty("pixelRoc").EnumerateArray().Select(p => (p[0].GetDouble(), p[1].GetDouble())).ToList();
        Assert.Equal((0.0, 0.0), pixelRoc[0]);
        Assert.Equal((1.0, 1.0), pixelRoc[^1]);
        // The area under the stored curve is the pixel AUROC (trapezoids; the curve keeps its corners).
        var area = pixelRoc.Zip(pixelRoc.Skip(1), (a, b) => (b.Item1 - a.Item1) * (a.Item2 + b.Item2) / 2).Sum();
        Assert.Equal(before.GetProperty("pixelAuroc").GetDouble(), area, 2);
        Assert.Equal(JsonValueKind.Null, before.GetProperty("missing").ValueKind);

        var lowestDefect = (await client.GetFromJsonAsync<JsonElement[]>($"/api/v1/runs/{runId}/scores"))!
            .Last(s => s.GetProperty("label").GetString() == "anomalous");
        var verdict = await client.PutAsJsonAsync($"/api/v1/images/{lowestDefect.GetProperty("imageId").GetInt64()}/verdict", new { verdict = "normal" });
        Assert.Equal(HttpStatusCode.NoContent, verdict.StatusCode);

        var after = await client.GetFromJsonAsync<JsonElement>($"/api/v1/runs/{runId}/metrics");
        Assert.Equal(2, after.GetProperty("defects").GetInt32());
        var scores = await client.GetFromJsonAsync<JsonElement[]>($"/api/v1/runs/{runId}/scores");
        Assert.Equal("normal", scores!.Single(s => s.GetProperty("imageId").GetInt64() == lowestDefect.GetProperty("imageId").GetInt64()).GetProperty("verdict").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PutAsJsonAsync($"/api/v1/images/{lowestDefect.GetProperty("imageId").GetInt64()}/verdict", new { verdict = "maybe" })).StatusCode);
    }

    [CatalogueFact]
    public async Task Saved_thresholds_split_the_bands_and_go_into_the_downloaded_model()
    {
        var metrics = await client.GetFromJsonAsync<JsonElement>($"/api/v1/runs/{runId}/metrics");
        Assert.Equal(0.5, metrics.GetProperty("suggestedThreshold").GetDouble());

        Assert.Equal(HttpStatusCode.BadRequest, (await client.PutAsJsonAsync($"/api/v1/runs/{runId}/thresholds", new { low = 0.9, high = 0.1 })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.PutAsJsonAsync($"/api/v1/runs/{runId}/thresholds", new { low = 0.2, high = 0.8 })).StatusCode);

        var scores = await client.GetFromJsonAsync<JsonElement[]>($"/api/v1/runs/{runId}/scores");
        foreach (var s in scores!)
        {
            var value = s.GetProperty("score").GetDouble();
            Assert.Equal(value >= 0.8 ? "ng" : value >= 0.2 ? "review" : "ok", s.GetProperty("band").GetString());
        }
        var model = files.Combine($"model-{Guid.NewGuid():N}.onnx");
        await File.WriteAllBytesAsync(model, await client.GetByteArrayAsync($"/api/v1/runs/{runId}/model.onnx"));
        var metadata = OnnxMetadata.Read(model);
        Assert.Equal("0.8", metadata[ExportContract.ThresholdKey]);
        Assert.Equal("0.2", metadata[ExportContract.ReviewThresholdKey]);
    }

    [CatalogueFact]
    public async Task New_images_are_scored_by_the_runs_model_like_the_stored_scores()
    {
        var stored = (await client.GetFromJsonAsync<JsonElement[]>($"/api/v1/runs/{runId}/scores"))!.First();
        var bytes = await client.GetByteArrayAsync(stored.GetProperty("imageUrl").GetString());
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(bytes), "files", "again.png" },
            { new ByteArrayContent("not an image"u8.ToArray()), "files", "notes.png" },
        };

        var reply = await client.PostAsync($"/api/v1/runs/{runId}/score", form);

        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        var results = await reply.Content.ReadFromJsonAsync<JsonElement[]>();
        Assert.Equal(stored.GetProperty("score").GetDouble(), results![0].GetProperty("score").GetDouble(), 4);
        Assert.Equal(stored.GetProperty("band").GetString(), results[0].GetProperty("band").GetString());
        var heatmap = Convert.FromBase64String(results[0].GetProperty("heatmapPngBase64").GetString()!);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], heatmap[..4]);
        Assert.Equal(JsonValueKind.Null, results[1].GetProperty("score").ValueKind);
        Assert.False(string.IsNullOrEmpty(results[1].GetProperty("refused").GetString()));
    }

    [CatalogueFact]
    public async Task A_new_run_can_leave_confirmed_defects_out_of_training()
    {
        var defects = (await client.GetFromJsonAsync<JsonElement[]>($"/api/v1/runs/{runId}/scores"))!.Where(s => s.GetProperty("label").GetString() == "anomalous").ToList();
        foreach (var d in defects)
            (await client.PutAsJsonAsync($"/api/v1/images/{d.GetProperty("imageId").GetInt64()}/verdict", new { verdict = "defect" })).EnsureSuccessStatusCode();

        var second = await fixture.TrainAsync(new { method = "patchcore", excludeConfirmedDefects = true });

        var log = await client.GetFromJsonAsync<JsonElement[]>($"/api/v1/runs/{second}/log");
        Assert.Contains(log!, l => l.GetProperty("message").GetString()!.Contains("trained on 8 images"));
        Assert.Contains(log!, l => l.GetProperty("message").GetString()!.Contains("3 confirmed defect(s) left out"));
        // Left out of training, still scored for review.
        Assert.Equal(11, (await client.GetFromJsonAsync<JsonElement[]>($"/api/v1/runs/{second}/scores"))!.Length);
    }

    [CatalogueFact]
    public async Task Results_of_an_unknown_or_unfinished_run_are_refused_with_a_reason()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/v1/runs/999/scores")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/v1/runs/999/metrics")).StatusCode);
        using var empty = new MultipartFormDataContent { { new ByteArrayContent([1, 2]), "files", "a.png" } };
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/api/v1/runs/999/score", empty)).StatusCode);
    }
}
