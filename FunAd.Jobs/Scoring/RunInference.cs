using System.Collections.Concurrent;
using FunAd.Engine.Imaging;
using FunAd.Engine.Inference;
using FunAd.Engine.Models;
using FunAd.Engine.Visualization;
using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Storage;
using FunAd.Jobs.Training;
using Microsoft.EntityFrameworkCore;

namespace FunAd.Jobs.Scoring;

/// <summary>A new image scored by a run's model: its score, band, and heatmap PNG (defect mode), or why it was refused.</summary>
public sealed record NewImageScore(string Name, double? Score, ScoreBand? Band, byte[]? HeatmapPng, string? Refused);

/// <summary>
/// Scores images a user drops on a finished run, with the run's exported ONNX model (the same file
/// a user downloads). One session per run, kept while the app runs; calls are serialised per run
/// because the scorer reuses its buffers.
/// </summary>
public sealed class RunInference(IDbContextFactory<CatalogueDbContext> factory, ArtifactStore store, EngineDevice device) : IDisposable
{
    public const int MaxImages = 64;
    private readonly ConcurrentDictionary<int, Lazy<Loaded>> loaded = new();

    private sealed record Loaded(OnnxAnomalyScorer Scorer, bool CenterCrop, bool Defect, double MapMin, double MapMax, SemaphoreSlim Gate);

    public async Task<IReadOnlyList<NewImageScore>> ScoreAsync(int runId, IReadOnlyList<(string Name, byte[] Bytes)> images, CancellationToken token = default)
    {
        if (images.Count == 0) throw new ArgumentException("No images to score.");
        if (images.Count > MaxImages) throw new ArgumentException($"At most {MaxImages} images per request; send more requests for more.");
        TrainingRun run;
        await using (var db = await factory.CreateDbContextAsync(token))
            run = await db.Runs.AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId, token) ?? throw new KeyNotFoundException($"Run {runId} does not exist.");
        if (run.Status != RunStatus.Succeeded || run.OnnxPath is null || run.ModelPath is null)
            throw new InvalidOperationException($"Run {runId} has no trained model (status {run.Status.ToString().ToLowerInvariant()}).");
        var model = loaded.GetOrAdd(runId, _ => new Lazy<Loaded>(() => Load(run))).Value;
        var (low, high) = ScoreBands.ThresholdsOf(run);

        var results = new NewImageScore[images.Count];
        var decoded = new List<(int Index, RgbImage Image)>();
        for (var i = 0; i < images.Count; i++)
        {
            try
            {
                decoded.Add((i, ImageLoader.Load(new MemoryStream(images[i].Bytes, writable: false), images[i].Name, DecodeLimits.Default)));
            }
            catch (ImageDecodeException e)
            {
                results[i] = new NewImageScore(images[i].Name, null, null, null, e.Message);
            }
        }
        var size = model.Scorer.InputSize;
        var plane = size * size;
        await model.Gate.WaitAsync(token);
        try
        {
            var batch = new float[Math.Max(1, decoded.Count) * 3 * plane];
            var scores = new float[Math.Max(1, decoded.Count)];
            var maps = new float[Math.Max(1, decoded.Count) * plane];
            for (var k = 0; k < decoded.Count; k++) ImageResizer.ToChw(decoded[k].Image, size, model.CenterCrop, batch.AsSpan(k * 3 * plane, 3 * plane));
            if (decoded.Count > 0) await Task.Run(() => model.Scorer.Score(batch, decoded.Count, scores, maps), token);
            for (var k = 0; k < decoded.Count; k++)
            {
                var (index, image) = decoded[k];
                byte[]? heatmap = null;
                if (model.Defect)
                {
                    var (w, h) = HeatmapImage.FitWithin(image.Width, image.Height, RunScoring.HeatmapSide);
                    heatmap = HeatmapImage.RenderPng(maps.AsSpan(k * plane, plane).ToArray(), size, size, w, h, (float)model.MapMin, (float)model.MapMax);
                }
                results[index] = new NewImageScore(images[index].Name, scores[k], ScoreBands.Of(scores[k], low, high), heatmap, null);
            }
        }
        finally
        {
            model.Gate.Release();
        }
        return results;
    }

    private Loaded Load(TrainingRun run)
    {
        var manifest = ModelDirectory.ReadManifest(store.Resolve(run.ModelPath!));
        var scorer = OnnxAnomalyScorer.Open(File.ReadAllBytes(store.Resolve(run.OnnxPath!)), manifest.Backbone.InputSize, device.Device);
        var defect = DetectionModeParser.Parse(manifest.Mode) == DetectionMode.Defect;
        var min = run.MapMin ?? 0;
        var max = run.MapMax is { } m && m > min ? m : min + 1;
        return new Loaded(scorer, manifest.CenterCrop, defect, min, max, new SemaphoreSlim(1, 1));
    }

    public void Dispose()
    {
        foreach (var entry in loaded.Values.Where(l => l.IsValueCreated)) entry.Value.Scorer.Dispose();
    }
}
