using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using FunAd.Engine.Features;
using FunAd.Engine.Imaging;
using FunAd.Engine.Inference;
using FunAd.Engine.Models;
using FunAd.Engine.Scoring;
using FunAd.Engine.Visualization;
using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Storage;
using FunAd.Jobs.Training;
using Microsoft.EntityFrameworkCore;

namespace FunAd.Jobs.Scoring;

/// <summary>
/// A new image scored by a run's model: its score, band, and in defect mode its heatmap as a PNG at the
/// run's colour scale and as map values (<see cref="HeatmapValues"/>) for a page to colour itself; or why
/// it was refused.
/// </summary>
public sealed record NewImageScore(string Name, double? Score, ScoreBand? Band, byte[]? HeatmapPng, string? Refused, byte[]? MapValues = null);

/// <summary>
/// Scores images a user drops on a finished run, with the run's exported ONNX model (the same file
/// a user downloads). One session per run, kept while the app runs; calls are serialised per run
/// because the scorer reuses its buffers.
/// </summary>
public sealed class RunInference(IDbContextFactory<CatalogueDbContext> factory, ArtifactStore store, EngineDevice device, ScoringLimits? limits = null) : IDisposable
{
    private readonly ScoringLimits limits = limits ?? ScoringLimits.Default;
    private readonly ConcurrentDictionary<int, Lazy<Loaded>> loaded = new();
    private readonly SemaphoreSlim slots = new((limits ?? ScoringLimits.Default).MaxConcurrent);

    public ScoringLimits Limits => limits;

    private sealed record Loaded(OnnxAnomalyScorer Scorer, bool CenterCrop, bool Defect, double MapMin, double MapMax, SemaphoreSlim Gate);

    /// <exception cref="ScoringRefusedException">Over the request's pixel or byte budget (413), or every scoring slot busy (429).</exception>
    public async Task<IReadOnlyList<NewImageScore>> ScoreAsync(int runId, IReadOnlyList<(string Name, byte[] Bytes)> images, CancellationToken token = default)
    {
        if (images.Count == 0) throw new ArgumentException("No images to score.");
        limits.CheckRequest(images.Count, images.Sum(i => (long)i.Bytes.Length));
        CheckPixels(images);
        TrainingRun run;
        await using (var db = await factory.CreateDbContextAsync(token))
            run = await db.Runs.AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId, token) ?? throw new KeyNotFoundException($"Run {runId} does not exist.");
        if (run.Status != RunStatus.Succeeded || run.Outcome.OnnxPath is null || run.Outcome.ModelPath is null)
            throw new InvalidOperationException($"Run {runId} has no trained model (status {run.Status.ToString().ToLowerInvariant()}).");

        if (!await slots.WaitAsync(limits.WaitForSlot, token))
            throw new ScoringRefusedException(ScoringRefusedException.Busy, $"The server is already scoring {limits.MaxConcurrent} requests; try again in a few seconds.");
        try
        {
            var model = loaded.GetOrAdd(runId, _ => new Lazy<Loaded>(() => Load(run))).Value;
            await model.Gate.WaitAsync(token);
            try
            {
                return await Task.Run(() => Score(model, run, images), token);
            }
            finally
            {
                model.Gate.Release();
            }
        }
        finally
        {
            slots.Release();
        }
    }

    /// <summary>Refuses the request before any decoding when the pixels its images declare are over the budget.</summary>
    private void CheckPixels(IReadOnlyList<(string Name, byte[] Bytes)> images)
    {
        long pixels = 0;
        foreach (var (_, content) in images)
            if (ImageLoader.DeclaredSize(content) is { } size) pixels += (long)size.Width * size.Height;
        if (pixels > limits.MaxPixelsPerRequest)
            throw new ScoringRefusedException(ScoringRefusedException.TooLarge,
                $"These images declare {pixels / 1e6:F0} megapixels, over the {limits.MaxPixelsPerRequest / 1e6:F0} megapixels one request may score: send fewer or smaller images.");
    }

    /// <summary>Decodes one image at a time straight into the batch, so memory holds one decoded image, never all of them.</summary>
    private static NewImageScore[] Score(Loaded model, TrainingRun run, IReadOnlyList<(string Name, byte[] Bytes)> images)
    {
        var (low, high) = ScoreBands.ThresholdsOf(run);
        var size = model.Scorer.InputSize;
        var plane = size * size;
        var results = new NewImageScore[images.Count];
        var decoded = new List<(int Index, int Width, int Height)>();
        // A file that is one of a memory bank's training images is scored without its own bank rows, as the run scored it.
        var trainingImages = new List<int>();
        var batch = new float[images.Count * 3 * plane];
        for (var i = 0; i < images.Count; i++)
        {
            try
            {
                var image = ImageLoader.Load(new MemoryStream(images[i].Bytes, writable: false), images[i].Name, DecodeLimits.Default);
                ImageResizer.ToChw(image, size, model.CenterCrop, batch.AsSpan(decoded.Count * 3 * plane, 3 * plane));
                decoded.Add((i, image.Width, image.Height));
                if (model.Scorer.KnowsTrainingImages)
                    trainingImages.Add(model.Scorer.TrainingImageOf(ContentHash.Of(images[i].Bytes)));
            }
            catch (ImageDecodeException e)
            {
                results[i] = new NewImageScore(images[i].Name, null, null, null, e.Message);
            }
        }
        if (decoded.Count == 0) return results;
        var scores = new float[decoded.Count];
        var maps = new float[decoded.Count * plane];
        model.Scorer.Score(batch, decoded.Count, scores, maps, CollectionsMarshal.AsSpan(trainingImages));
        for (var k = 0; k < decoded.Count; k++)
        {
            var (index, width, height) = decoded[k];
            byte[]? heatmap = null, values = null;
            if (model.Defect)
            {
                var map = maps.AsSpan(k * plane, plane).ToArray();
                var (w, h) = HeatmapImage.FitWithin(width, height, RunScoring.HeatmapSide);
                heatmap = HeatmapImage.RenderPng(map, size, size, w, h, (float)model.MapMin, (float)model.MapMax);
                values = HeatmapValues.Encode(AnomalyMap.Upsample(map, size, size, RunScoring.KeptSide, RunScoring.KeptSide), RunScoring.KeptSide, RunScoring.KeptSide);
            }
            results[index] = new NewImageScore(images[index].Name, scores[k], ScoreBands.Of(scores[k], low, high), heatmap, null, values);
        }
        return results;
    }

    private Loaded Load(TrainingRun run)
    {
        var manifest = ModelDirectory.ReadManifest(store.Resolve(run.Outcome.ModelPath!));
        var scorer = OnnxAnomalyScorer.Open(File.ReadAllBytes(store.Resolve(run.Outcome.OnnxPath!)), manifest.Backbone.InputSize, device.Device);
        var defect = DetectionModeParser.Parse(manifest.Mode) == DetectionMode.Defect;
        var (min, max) = run.Outcome.ColourScale();
        return new Loaded(scorer, manifest.CenterCrop, defect, min, max, new SemaphoreSlim(1, 1));
    }

    public void Dispose()
    {
        slots.Dispose();
        foreach (var entry in loaded.Values.Where(l => l.IsValueCreated)) entry.Value.Scorer.Dispose();
    }
}
