using System.Text.Json;
using FunAd.Jobs.Catalogue;
using Microsoft.EntityFrameworkCore;

namespace FunAd.Jobs.Scoring;

/// <summary>A run of a project beside the others: method, settings that differ most often, duration and metrics.</summary>
public sealed record RunComparisonRow(TrainingRun Run, string KeySettings, TimeSpan? Duration, double? ImageAuroc, double? F1Max, int Labelled);

/// <summary>
/// The compare-runs table of a project: every run, with metrics on the project's ground truth (verdicts, then labels; a
/// held-out run counts only the images it did not train on, so its row says how many images it was measured on).
/// </summary>
public sealed class RunComparison(IDbContextFactory<CatalogueDbContext> factory, RunResults results)
{
    private static readonly string[] Keys = ["epochs", "learningRate", "lambda", "tauN", "syntheticAnomalies", "perturbation", "bankRefreshInterval", "coresetRatio"];

    public async Task<IReadOnlyList<RunComparisonRow>> CompareAsync(int projectId, CancellationToken token = default)
    {
        List<TrainingRun> runs;
        await using (var db = await factory.CreateDbContextAsync(token))
            runs = await db.Runs.AsNoTracking().Where(r => r.ProjectId == projectId).OrderByDescending(r => r.Id).ToListAsync(token);
        var rows = new List<RunComparisonRow>();
        foreach (var run in runs)
        {
            double? auroc = null, f1 = null;
            var labelled = 0;
            if (run.Status == RunStatus.Succeeded)
            {
                var images = await results.ListAsync(run.Id, token);
                var (low, high) = ScoreBands.ThresholdsOf(run);
                var metrics = RunMetrics.Compute(images, low, high);
                (auroc, f1, labelled) = (metrics.ImageAuroc, metrics.F1Max, metrics.Labelled);
            }
            var duration = run.StartedAt is { } s && run.FinishedAt is { } f ? f - s : (TimeSpan?)null;
            rows.Add(new RunComparisonRow(run, Settings(run), duration, auroc, f1, labelled));
        }
        return rows;
    }

    /// <summary>The settings people compare runs by, read from the run's recorded parameters.</summary>
    public static string Settings(TrainingRun run)
    {
        try
        {
            using var json = JsonDocument.Parse(run.ParametersJson);
            if (!json.RootElement.TryGetProperty("resolved", out var resolved)) return "";
            var parts = new List<string>();
            foreach (var key in Keys)
                if (resolved.TryGetProperty(key, out var value)) parts.Add($"{key}={value}");
            return string.Join(", ", parts);
        }
        catch (JsonException)
        {
            return "";
        }
    }
}
