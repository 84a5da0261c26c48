using System.Net.Http.Json;
using System.Text.Json;

namespace FunAd.Tests.Support;

/// <summary>Waiting, through the HTTP API, for a run to reach a state.</summary>
public static class RunPolling
{
    /// <summary>
    /// Polls <c>GET /api/v1/runs/{id}</c> until <paramref name="condition"/> holds and returns that reply.
    /// A run that ends (failed, cancelled, or succeeded without the condition holding) fails the test at once.
    /// </summary>
    public static async Task<JsonElement> WaitForRunAsync(this HttpClient client, int runId, Func<JsonElement, bool> condition, TimeSpan? timeout = null,
        TimeSpan? every = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(3));
        JsonElement? last = null;
        while (DateTime.UtcNow < deadline)
        {
            var run = await client.GetFromJsonAsync<JsonElement>($"/api/v1/runs/{runId}");
            if (condition(run)) return run;
            if (run.GetProperty("status").GetString() is "failed" or "cancelled" or "succeeded")
                throw new Xunit.Sdk.XunitException($"run {runId} ended ({run.GetProperty("status")}: {run.GetProperty("error")}) before the awaited state");
            last = run;
            await Task.Delay(every ?? TimeSpan.FromMilliseconds(100));
        }
        // Where it stood (queued for a worker, or which phase) tells a slow run from a lost job.
        throw new TimeoutException($"run {runId} never reached the awaited state; last seen: {last}");
    }

    public static Task<JsonElement> WaitForSuccessAsync(this HttpClient client, int runId, TimeSpan? timeout = null) =>
        client.WaitForRunAsync(runId, r => r.GetProperty("status").GetString() == "succeeded", timeout);
}
