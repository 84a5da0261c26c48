using FunAd.Engine.Devices;
using FunAd.Engine.Evaluation;
using FunAd.Engine.Features;
using FunAd.Engine.FunAdBank;
using FunAd.Engine.Imaging;
using FunAd.Engine.Inference;
using FunAd.Engine.Metrics;
using FunAd.Engine.Models;
using FunAd.Engine.Scoring;
using FunAd.Engine.Visualization;
using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Storage;
using Microsoft.EntityFrameworkCore;

namespace FunAd.Jobs.Scoring;

/// <summary>What scoring a run's project produced: how many images, the suggested threshold, the colour scale, pixel metrics.</summary>
public sealed record ScoringSummary(int Scored, int Refused, double SuggestedThreshold, string SuggestedRule, double? MapMin, double? MapMax,
    double? PixelAuroc, double? Aupro, int MaskedImages, IReadOnlyList<double[]>? PixelRoc = null, double? SuggestedReview = null, int OwnRowsLeftOut = 0);

/// <summary>
/// The scoring step of a run: every image of the project through the exported model (the one
/// inference path), a score row per image, a stored heatmap per image (defect mode), a label-free
/// threshold suggestion, and pixel metrics where masks were uploaded. Done once, so galleries never
/// recompute maps.
/// </summary>
public sealed class RunScoring(IDbContextFactory<CatalogueDbContext> factory, ArtifactStore store)
{
    /// <summary>Longest side of a stored heatmap: maps come from a 28 x 28 grid blurred with sigma 4 at 224, so more adds nothing.</summary>
    public const int HeatmapSide = 384;
    /// <summary>
    /// Side of the map kept in memory per image until the run's colour scale is known, and of the map values
    /// kept beside each heatmap (and sent with a new image's score) for the page to colour.
    /// </summary>
    public const int KeptSide = 56;
    /// <summary>Longest side at which pixel metrics compare maps with masks.</summary>
    public const int MetricSide = 256;
    private const int Chunk = 128;

    /// <summary>
    /// Scores every image of the project. <paramref name="trained"/>: the images the run trained on, recorded
    /// per score; with <paramref name="heldOut"/> (the run holds labelled images out) their masks stay out of
    /// the pixel metrics, which then measure only images the run never saw.
    /// </summary>
    public ScoringSummary Score(int runId, int projectId, string modelDirectory, ComputeDevice device, IProgress<StageProgress> progress, CancellationToken token,
        IReadOnlySet<long>? trained = null, bool heldOut = false)
    {
        List<ImageAsset> images;
        using (var db = factory.CreateDbContext())
            images = db.Images.AsNoTracking().Where(i => i.ProjectId == projectId).OrderBy(i => i.Id).ToList();
        using var model = ModelDirectory.Load(modelDirectory, device);
        var manifest = model.Manifest;
        var defect = DetectionModeParser.Parse(manifest.Mode) == DetectionMode.Defect;
        using var scorer = OnnxAnomalyScorer.Open(model, device);
        var pipeline = new ScoringPipeline(scorer, new FeatureSettings(manifest.CenterCrop), DecodeLimits.Default);

        var byId = images.ToDictionary(i => i.Id);
        var scores = new List<(long ImageId, float Score)>();
        var kept = new Dictionary<long, float[]>();
        var sizes = new Dictionary<long, (int W, int H)>();
        var metricMaps = new List<float[]>();
        var metricMasks = new List<bool[]>();
        var metricSizes = new List<(int, int)>();
        var refused = 0;
        var ownRowsLeftOut = 0;
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        var peaks = new List<float>();
        for (var start = 0; start < images.Count; start += Chunk)
        {
            token.ThrowIfCancellationRequested();
            var chunk = images.Skip(start).Take(Chunk).Select(i => new ImageSource(i.Id.ToString(), store.Resolve(i.StoredPath))).ToList();
            refused += pipeline.Stream(chunk, (in ScoredImageView scored) =>
            {
                var id = long.Parse(scored.Source.Name);
                scores.Add((id, scored.Score));
                if (scored.OwnRowsLeftOut) ownRowsLeftOut++;
                sizes[id] = (scored.Width, scored.Height);
                if (!defect) return;
                var peak = float.NegativeInfinity;
                foreach (var value in scored.Map)
                {
                    min = Math.Min(min, value);
                    peak = Math.Max(peak, value);
                }
                max = Math.Max(max, peak);
                peaks.Add(peak);
                kept[id] = AnomalyMap.Upsample(scored.Map, scored.MapSize, scored.MapSize, KeptSide, KeptSide);
                if (byId[id].MaskPath is { } maskPath && !(heldOut && trained?.Contains(id) == true))
                {
                    var (w, h) = HeatmapImage.FitWithin(scored.Width, scored.Height, MetricSide);
                    metricMaps.Add(AnomalyMap.Upsample(scored.Map, scored.MapSize, scored.MapSize, w, h));
                    metricMasks.Add(GroundTruthMask.Load(store.Resolve(maskPath), w, h, DecodeLimits.Default));
                    metricSizes.Add((w, h));
                }
            }, null, token).Count;
            progress.Report(new StageProgress(Stages.Scoring, Math.Min(1.0, (start + chunk.Count) / (double)Math.Max(1, images.Count)) * (defect ? 0.6 : 1),
                $"{Math.Min(images.Count, start + chunk.Count)}/{images.Count} images scored"));
        }
        if (scores.Count == 0) throw new InvalidOperationException("None of the project's images could be scored.");
        // funad-bank: the training images FUN-AD kept out of the bank, the contamination it found.
        var setAside = SetAsideImage.ReadFrom(manifest).Select(i => i.ContentHash).ToHashSet(StringComparer.Ordinal);

        var (threshold, rule) = manifest.Threshold is { } own
            ? (own, manifest.ThresholdRule ?? "the model's own decision threshold")
            : LabelFreeThreshold.Suggest(scores.Select(s => s.Score).ToList());

        var heatmaps = new Dictionary<long, string>();
        if (defect)
        {
            // The colour scale starts at a typical image's peak (the median of the images' map maxima),
            // so the scale is spent on what stands out and an ordinary image stays untinted.
            min = Math.Max(min, Median(peaks));
            if (!(max > min)) max = min + 1e-6f;
            var done = 0;
            foreach (var (id, small) in kept)
            {
                token.ThrowIfCancellationRequested();
                var (w, h) = HeatmapImage.FitWithin(sizes[id].W, sizes[id].H, HeatmapSide);
                var path = ArtifactStore.RunHeatmap(projectId, runId, id);
                store.WriteAtomically(path, HeatmapImage.RenderPng(small, KeptSide, KeptSide, w, h, min, max));
                store.WriteAtomically(ArtifactStore.HeatmapValuesBeside(path), HeatmapValues.Encode(small, KeptSide, KeptSide));
                heatmaps[id] = path;
                if (++done % 64 == 0) progress.Report(new StageProgress(Stages.Scoring, 0.6 + 0.4 * done / kept.Count, $"{done}/{kept.Count} heatmaps drawn"));
            }
        }

        double? pixelAuroc = null, aupro = null;
        IReadOnlyList<double[]>? pixelRoc = null;
        if (metricMasks.Count > 0 && metricMasks.Any(m => m.Any(v => v)) && metricMasks.Any(m => m.Any(v => !v)))
        {
            pixelAuroc = PixelAuroc.Compute(metricMaps, metricMasks);
            aupro = Aupro.Compute(metricMaps, metricMasks, metricSizes);
            var curve = PixelAuroc.Curve(metricMaps, metricMasks).Downsample(200);
            pixelRoc = curve.FalsePositiveRates.Zip(curve.TruePositiveRates, (f, t) => new[] { f, t }).ToList();
        }

        using (var db = factory.CreateDbContext())
        {
            db.Scores.Where(s => s.RunId == runId).ExecuteDelete();
            foreach (var (id, score) in scores)
                db.Scores.Add(new ScoreResult
                {
                    RunId = runId, ImageId = id, Score = score, HeatmapPath = heatmaps.GetValueOrDefault(id),
                    LeftOutOfBank = setAside.Contains(byId[id].ContentHash), Trained = trained?.Contains(id) == true,
                });
            db.SaveChanges();
        }
        progress.Report(new StageProgress(Stages.Scoring, 1, $"{scores.Count} images scored" + (setAside.Count > 0 ? $", {setAside.Count} left out of the bank" : "")
            + (ownRowsLeftOut > 0 ? $", {ownRowsLeftOut} training images each without its own bank rows" : "")));
        return new ScoringSummary(scores.Count, refused, threshold, rule, defect ? min : null, defect ? max : null, pixelAuroc, aupro, metricMasks.Count, pixelRoc,
            ReviewBand.ReviewFrom(threshold, scores.Select(s => (double)s.Score)), ownRowsLeftOut);
    }

    private static float Median(List<float> values)
    {
        if (values.Count == 0) return float.NegativeInfinity;
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
