using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using FunAd.Web.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FunAd.Bench;

/// <summary>
/// Load on the web app, in process on Kestrel with its own data root: API clients scoring images
/// and reviewers reading galleries (scores, metrics, thumbnails, heatmaps), all while a training job
/// runs. Prints request counts, errors and latency percentiles per kind of request.
/// </summary>
public static class LoadBench
{
    private const string Email = "load@funad.bench";
    private const string Password = "load-bench-1";

    public static async Task RunAsync(int seconds, int clients, int reviewers)
    {
        var root = Directory.CreateTempSubdirectory("funad-load-").FullName;
        await using var app = WebApp.Build(["--urls", "http://127.0.0.1:0", $"--FunAd:DataRoot={root}",
            $"--FUNAD_ADMIN_EMAIL={Email}", $"--FUNAD_ADMIN_PASSWORD={Password}", "--Logging:LogLevel:Default=Warning"]);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        using var admin = await SignInAsync(address);

        var project = await (await admin.PostAsJsonAsync("/api/v1/projects", new { name = "load" })).Content.ReadFromJsonAsync<JsonElement>();
        var projectId = project.GetProperty("id").GetInt32();
        var images = Enumerable.Range(0, 60).Select(i => Png(i)).ToList();
        using (var form = new MultipartFormDataContent())
        {
            for (var i = 0; i < images.Count; i++) form.Add(new ByteArrayContent(images[i]), "files", $"{i:00}.png");
            (await admin.PostAsync($"/api/v1/projects/{projectId}/uploads", form)).EnsureSuccessStatusCode();
        }
        Console.WriteLine($"load: app on {address}, 60 images uploaded; training the model the clients will use…");
        var scoringRun = await StartRunAsync(admin, projectId, 10);
        await WaitAsync(admin, scoringRun, "succeeded");
        var key = (await (await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "load", role = "Editor" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;

        // The background job: a long training run that keeps the CPU busy for the whole measurement.
        var background = await StartRunAsync(admin, projectId, 100_000);
        await WaitAsync(admin, background, "running");
        var scored = (await admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/runs/{scoringRun}/scores"))!;
        var imageIds = scored.Select(s => s.GetProperty("imageId").GetInt64()).ToArray();

        var latencies = new ConcurrentDictionary<string, ConcurrentBag<double>>();
        var errors = new ConcurrentDictionary<string, int>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        async Task Timed(string kind, Func<Task<HttpResponseMessage>> call)
        {
            var watch = Stopwatch.StartNew();
            try
            {
                using var response = await call();
                if (!response.IsSuccessStatusCode) errors.AddOrUpdate($"{kind} {(int)response.StatusCode}", 1, (_, n) => n + 1);
                else latencies.GetOrAdd(kind, _ => []).Add(watch.Elapsed.TotalMilliseconds);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !stop.IsCancellationRequested)
            {
                errors.AddOrUpdate($"{kind} {e.GetType().Name}", 1, (_, n) => n + 1);
            }
        }

        var scorers = Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            using var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(120) };
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
            var random = new Random(c);
            while (!stop.IsCancellationRequested)
                await Timed("score 1 image (API key)", () =>
                {
                    var form = new MultipartFormDataContent { { new ByteArrayContent(images[random.Next(images.Count)]), "files", "new.png" } };
                    return client.PostAsync($"/api/v1/runs/{scoringRun}/score", form);
                });
        })).ToList();
        var readers = Enumerable.Range(0, reviewers).Select(r => Task.Run(async () =>
        {
            using var client = await SignInAsync(address);
            var random = new Random(1000 + r);
            while (!stop.IsCancellationRequested)
            {
                await Timed("gallery scores", () => client.GetAsync($"/api/v1/runs/{scoringRun}/scores"));
                await Timed("metrics", () => client.GetAsync($"/api/v1/runs/{scoringRun}/metrics"));
                for (var i = 0; i < 6 && !stop.IsCancellationRequested; i++)
                {
                    var id = imageIds[random.Next(imageIds.Length)];
                    await Timed("thumbnail", () => client.GetAsync($"/files/images/{id}/thumbnail"));
                    await Timed("heatmap", () => client.GetAsync($"/files/runs/{scoringRun}/heatmaps/{id}"));
                }
                await Timed("run page", () => client.GetAsync($"/runs/{scoringRun}"));
            }
        })).ToList();
        var progress = Task.Run(async () =>
        {
            var epochs = new List<int>();
            while (!stop.IsCancellationRequested)
            {
                var run = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/runs/{background}");
                epochs.Add(run.GetProperty("epoch").GetInt32());
                try { await Task.Delay(1000, stop.Token); } catch (TaskCanceledException) { }
            }
            return epochs;
        });
        await Task.WhenAll(scorers.Concat(readers));
        var trained = await progress;
        var status = (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/runs/{background}")).GetProperty("status").GetString();

        Console.WriteLine($"load: {seconds} s, {clients} scoring clients, {reviewers} reviewers, training run {status} (epoch {trained.FirstOrDefault()} -> {trained.LastOrDefault()} meanwhile)");
        Console.WriteLine($"{"request",-26} {"count",7} {"per s",7} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"max ms",8}");
        foreach (var (kind, bag) in latencies.OrderBy(k => k.Key))
        {
            var sorted = bag.Order().ToArray();
            double P(double q) => sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
            Console.WriteLine($"{kind,-26} {sorted.Length,7} {sorted.Length / (double)seconds,7:F1} {P(0.5),8:F0} {P(0.95),8:F0} {P(0.99),8:F0} {sorted[^1],8:F0}");
        }
        Console.WriteLine(errors.IsEmpty ? "errors: none" : "errors: " + string.Join(", ", errors.Select(e => $"{e.Key} x{e.Value}")));
        await admin.PostAsync($"/api/v1/runs/{background}/cancel", null);
        await app.StopAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(root, recursive: true); } catch (IOException) { }
    }

    private static async Task<HttpClient> SignInAsync(string address)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(address),
            Timeout = TimeSpan.FromSeconds(120),
        };
        var page = await client.GetStringAsync("/login");
        var token = Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = Email, ["password"] = Password, ["__RequestVerificationToken"] = token,
        }));
        if (response.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"sign-in answered {response.StatusCode}");
        return client;
    }

    private static async Task<int> StartRunAsync(HttpClient client, int projectId, int epochs)
    {
        var response = await client.PostAsJsonAsync($"/api/v1/projects/{projectId}/runs", new
        {
            method = "funad", profile = "custom", seed = 1, parameters = new Dictionary<string, string> { ["epochs"] = epochs.ToString() },
        });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
    }

    private static async Task WaitAsync(HttpClient client, int runId, string status)
    {
        while (true)
        {
            var run = await client.GetFromJsonAsync<JsonElement>($"/api/v1/runs/{runId}");
            var now = run.GetProperty("status").GetString();
            if (now == status) return;
            if (now is "failed" or "cancelled") throw new InvalidOperationException($"run {runId} {now}: {run.GetProperty("error")}");
            await Task.Delay(250);
        }
    }

    private static byte[] Png(int seed)
    {
        var random = new Random(seed);
        using var image = new Image<Rgb24>(160, 160);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < 160; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < 160; x++)
                {
                    var v = (byte)(128 + 50 * Math.Sin(x * 0.2 + seed) * Math.Cos(y * 0.15) + random.Next(-15, 15));
                    row[x] = new Rgb24(v, v, (byte)(v * 0.9));
                }
            }
        });
        using var stream = new MemoryStream();
        image.SaveAsPng(stream);
        return stream.ToArray();
    }
}
