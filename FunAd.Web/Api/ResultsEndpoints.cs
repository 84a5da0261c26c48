using System.Security.Claims;
using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Scoring;
using FunAd.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace FunAd.Web.Api;

public sealed record ScoreReply(long ImageId, string Name, double Score, string Band, string Label, string? DefectType, string? Verdict,
    bool HasMask, string? HeatmapUrl, string ImageUrl, bool LeftOutOfBank = false);

public sealed record MetricsReply(double? ThresholdLow, double? ThresholdHigh, double? SuggestedThreshold, string? SuggestedThresholdRule,
    int Ok, int Review, int Ng, int Labelled, int Defects, int Normals, double? ImageAuroc, double? F1Max, double? F1Threshold,
    ConfusionMatrix? Confusion, IReadOnlyList<double[]> Roc, double? PixelAuroc, double? Aupro, int MaskedImages, string? Missing,
    IReadOnlyList<double[]>? PixelRoc = null);

public sealed record ThresholdsRequest(double? Low, double? High);

public sealed record VerdictRequest(string? Verdict);

public sealed record NewScoreReply(string Name, double? Score, string? Band, string? HeatmapPngBase64, string? Refused);

/// <summary>A finished run's results: scores (JSON and CSV), metrics, thresholds, verdicts, heatmaps, and scoring new images.</summary>
public static class ResultsEndpoints
{
    public static void MapResultsEndpoints(this RouteGroupBuilder group)
    {
        var api = group.MapGroup("").WithTags("Results");
        api.MapGet("/runs/{id:int}/scores", async (int id, RunResults results, CancellationToken token) =>
            {
                var run = await FindRunAsync(results, id, token);
                var (low, high) = ScoreBands.ThresholdsOf(run.Run);
                return run.Images.Select(i => new ScoreReply(i.ImageId, i.Name, i.Score, ScoreBands.Of(i.Score, low, high).ToString().ToLowerInvariant(),
                    i.Label.ToString().ToLowerInvariant(), i.DefectType, i.Verdict?.ToString().ToLowerInvariant(), i.HasMask,
                    i.HasHeatmap ? FileUrls.Heatmap(id, i.ImageId) : null, FileUrls.Image(i.ImageId), i.LeftOutOfBank)).ToList();
            })
            .WithSummary("A finished run's scores, highest first, with band (ok|review|ng), ground truth, verdict, heatmap URL, and for funad-bank runs whether FUN-AD left the image out of the memory bank (likely defective).");
        api.MapGet("/runs/{id:int}/scores.csv", async (int id, RunResults results, CancellationToken token) =>
            {
                var run = await FindRunAsync(results, id, token);
                var (low, high) = ScoreBands.ThresholdsOf(run.Run);
                return TypedResults.File(System.Text.Encoding.UTF8.GetBytes(RunResults.ToCsv(run.Images, low, high)), "text/csv", $"funad-run{id}-scores.csv");
            })
            .WithSummary("The scores as CSV: file,score,band,label,defect_type,verdict,left_out_of_bank.");
        api.MapGet("/runs/{id:int}/metrics", async (int id, RunResults results, CancellationToken token) =>
            {
                var run = await FindRunAsync(results, id, token);
                var (low, high) = ScoreBands.ThresholdsOf(run.Run);
                var m = RunMetrics.Compute(run.Images, low, high);
                return new MetricsReply(run.Run.Thresholds.Low, run.Run.Thresholds.High, run.Run.Outcome.SuggestedThreshold, run.Run.Outcome.SuggestedThresholdRule,
                    m.Ok, m.Review, m.Ng, m.Labelled, m.Defects, m.Normals, m.ImageAuroc, m.F1Max, m.F1Threshold, m.Confusion,
                    m.Roc.Select(p => new[] { p.Fpr, p.Tpr }).ToList(), run.Run.Outcome.PixelAuroc, run.Run.Outcome.Aupro, run.Run.Outcome.MaskedImages, m.Missing,
                    run.Run.Outcome.PixelRocJson is { } json ? System.Text.Json.JsonSerializer.Deserialize<double[][]>(json) : null);
            })
            .WithSummary("Band counts at the thresholds; where ground truth exists, image AUROC, ROC points, F1-max and the confusion matrix; pixel AUROC and AUPRO where masks were uploaded.");
        api.MapPut("/runs/{id:int}/thresholds", async (int id, ThresholdsRequest body, RunResults results, ClaimsPrincipal user, CancellationToken token) =>
            {
                // A missing value used to be saved as 0: both are needed, each a finite number.
                if (body.Low is not { } low || body.High is not { } high)
                    throw new ArgumentException("Send both thresholds: {\"low\": review from this score, \"high\": NG from this score}.");
                await results.SaveThresholdsAsync(id, low, high, user.Identity?.Name, token);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Policies.Editor).WithSummary("Save the review (low) and NG (high) thresholds; they are written into the run's ONNX metadata.");
        api.MapPut("/images/{id:long}/verdict", async (long id, VerdictRequest body, RunResults results, ClaimsPrincipal user, CancellationToken token) =>
            {
                Verdict? verdict = body.Verdict?.Trim().ToLowerInvariant() switch
                {
                    null or "" => null,
                    "defect" => Verdict.Defect,
                    "normal" => Verdict.Normal,
                    _ => throw new ArgumentException($"Unknown verdict '{body.Verdict}': use defect, normal, or null to clear."),
                };
                await results.SetVerdictAsync(id, verdict, user.Identity?.Name, token);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Policies.Editor).WithSummary("Give (defect|normal) or clear (null) a reviewer's verdict on an image.");
        api.MapPost("/runs/{id:int}/score", async (int id, HttpRequest request, RunInference inference, CancellationToken token) =>
            {
                if (!request.HasFormContentType) throw new ArgumentException("Send multipart/form-data with one or more image files.");
                var form = await FormReading.ReadAsync(request, token);
                var images = new List<(string, byte[])>();
                inference.Limits.CheckRequest(form.Files.Count, form.Files.Sum(f => f.Length));
                foreach (var file in form.Files)
                {
                    if (file.Length > Engine.Imaging.DecodeLimits.Default.MaxFileBytes)
                        throw new ArgumentException($"{file.FileName}: larger than {Engine.Imaging.DecodeLimits.Default.MaxFileBytes / (1024 * 1024)} MiB.");
                    using var memory = new MemoryStream();
                    await file.CopyToAsync(memory, token);
                    images.Add((file.FileName, memory.ToArray()));
                }
                var scored = await inference.ScoreAsync(id, images, token);
                return TypedResults.Ok(scored.Select(s => new NewScoreReply(s.Name, s.Score, s.Band?.ToString().ToLowerInvariant(),
                    s.HeatmapPng is null ? null : Convert.ToBase64String(s.HeatmapPng), s.Refused)).ToList());
            })
            .RequireAuthorization(Policies.Editor)
            // The files are buffered to disk while the form is read; the budget is checked before any is read into memory.
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(ScoringLimits.Default.MaxBytesPerRequest + 1024 * 1024))
            .WithSummary("Score new images with a finished run's model (not stored): score, band and a base64 PNG heatmap per image.");
    }

    private static async Task<(TrainingRun Run, IReadOnlyList<ScoredImage> Images)> FindRunAsync(RunResults results, int id, CancellationToken token)
    {
        var run = await results.GetRunAsync(id, token) ?? throw new KeyNotFoundException($"Run {id} does not exist.");
        if (run.Status != RunStatus.Succeeded) throw new InvalidOperationException($"Run {id} has no results yet (status {run.Status.ToString().ToLowerInvariant()}).");
        return (run, await results.ListAsync(id, token));
    }
}
