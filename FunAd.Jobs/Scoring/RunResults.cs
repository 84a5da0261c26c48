using System.Globalization;
using System.Text;
using FunAd.Engine.Export;
using FunAd.Engine.Io;
using FunAd.Jobs.Audit;
using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Storage;
using Microsoft.EntityFrameworkCore;

namespace FunAd.Jobs.Scoring;

/// <summary>Reading a finished run's scores for galleries and charts, giving verdicts, and saving thresholds.</summary>
public sealed class RunResults(IDbContextFactory<CatalogueDbContext> factory, ArtifactStore store)
{
    private readonly AuditLog audit = new(factory);

    public async Task<TrainingRun?> GetRunAsync(int runId, CancellationToken token = default)
    {
        await using var db = await factory.CreateDbContextAsync(token);
        return await db.Runs.AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId, token);
    }

    /// <summary>Every scored image of the run, highest score first; in a run that holds labelled images out, those it trained on do not count in metrics.</summary>
    public async Task<IReadOnlyList<ScoredImage>> ListAsync(int runId, CancellationToken token = default)
    {
        await using var db = await factory.CreateDbContextAsync(token);
        var heldOut = await db.Runs.Where(r => r.Id == runId).Select(r => r.HoldOutLabelled).SingleOrDefaultAsync(token);
        var rows = await (
                from s in db.Scores.AsNoTracking()
                where s.RunId == runId
                join i in db.Images on s.ImageId equals i.Id
                join r in db.Reviews on i.Id equals r.ImageId into reviews
                from r in reviews.DefaultIfEmpty()
                select new { s.ImageId, i.OriginalName, s.Score, i.Label, i.DefectType, HasMask = i.MaskPath != null, Verdict = (Verdict?)r.Verdict, HasHeatmap = s.HeatmapPath != null, i.Width, i.Height, s.LeftOutOfBank, s.Trained })
            .ToListAsync(token);
        return rows.OrderByDescending(r => r.Score).ThenBy(r => r.ImageId)
            .Select(r => new ScoredImage(r.ImageId, r.OriginalName, r.Score, r.Label, r.DefectType, r.HasMask, r.Verdict, r.HasHeatmap, r.Width, r.Height, r.LeftOutOfBank, Evaluated: !(heldOut && r.Trained)))
            .ToList();
    }

    public async Task<string?> HeatmapPathAsync(int runId, long imageId, CancellationToken token = default)
    {
        await using var db = await factory.CreateDbContextAsync(token);
        return await db.Scores.Where(s => s.RunId == runId && s.ImageId == imageId).Select(s => s.HeatmapPath).SingleOrDefaultAsync(token);
    }

    /// <summary>Records (or with null clears) a reviewer's verdict on an image; the latest verdict counts.</summary>
    public async Task SetVerdictAsync(long imageId, Verdict? verdict, string? by, CancellationToken token = default)
    {
        await using var db = await factory.CreateDbContextAsync(token);
        if (!await db.Images.AnyAsync(i => i.Id == imageId, token)) throw new KeyNotFoundException($"Image {imageId} does not exist.");
        var review = await db.Reviews.SingleOrDefaultAsync(r => r.ImageId == imageId, token);
        if (verdict is null)
        {
            if (review is not null) db.Reviews.Remove(review);
        }
        else if (review is null)
        {
            db.Reviews.Add(new Review { ImageId = imageId, Verdict = verdict.Value, By = by });
        }
        else
        {
            review.Verdict = verdict.Value;
            review.By = by;
            review.At = DateTimeOffset.UtcNow;
        }
        await db.SaveChangesAsync(token);
        await audit.RecordAsync(by, "verdict", $"image {imageId}", verdict?.ToString().ToLowerInvariant() ?? "cleared", token);
    }

    /// <summary>
    /// Saves the OK/review/NG thresholds with the run and writes them into the run's ONNX model
    /// (funad.threshold = the NG threshold, funad.review_threshold = the lower one).
    /// </summary>
    public async Task SaveThresholdsAsync(int runId, double low, double high, CancellationToken token = default) =>
        await SaveThresholdsAsync(runId, low, high, by: null, token);

    public async Task SaveThresholdsAsync(int runId, double low, double high, string? by, CancellationToken token = default)
    {
        await using var db = await factory.CreateDbContextAsync(token);
        var run = await db.Runs.SingleOrDefaultAsync(r => r.Id == runId, token) ?? throw new KeyNotFoundException($"Run {runId} does not exist.");
        run.SetThresholds(low, high);
        if (run.Outcome.OnnxPath is { } onnx && store.Exists(onnx))
            OnnxMetadata.Update(store.Resolve(onnx), new Dictionary<string, string>
            {
                [ExportContract.ThresholdKey] = high.ToString("R", CultureInfo.InvariantCulture),
                [ExportContract.ReviewThresholdKey] = low.ToString("R", CultureInfo.InvariantCulture),
            });
        await db.SaveChangesAsync(token);
        await audit.RecordAsync(by, "thresholds saved", $"run {runId}", $"review from {low:G6}, NG from {high:G6}", token);
    }

    /// <summary>The run's scores as CSV: file, score, band, label, defect type, verdict, and whether FUN-AD left the image out of the bank.</summary>
    public static string ToCsv(IReadOnlyList<ScoredImage> images, double low, double high)
    {
        var csv = new StringBuilder("file,score,band,label,defect_type,verdict,left_out_of_bank\n");
        foreach (var i in images)
            csv.Append(CsvText.Field(i.Name)).Append(',').Append(i.Score.ToString("R", CultureInfo.InvariantCulture)).Append(',')
                .Append(ScoreBands.Of(i.Score, low, high).ToString().ToUpperInvariant()).Append(',')
                .Append(i.Label.ToString().ToLowerInvariant()).Append(',').Append(CsvText.Field(i.DefectType ?? "")).Append(',')
                .Append(i.Verdict?.ToString().ToLowerInvariant() ?? "").Append(',').Append(i.LeftOutOfBank ? "1" : "0").Append('\n');
        return csv.ToString();
    }
}
