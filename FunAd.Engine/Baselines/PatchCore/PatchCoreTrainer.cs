using System.Text.Json;
using FunAd.Engine.Devices;
using FunAd.Engine.Features;
using FunAd.Engine.Models;
using FunAd.Engine.Search;

namespace FunAd.Engine.Baselines.PatchCore;

/// <summary>
/// Builds a PatchCore memory bank from every training image, with no training and no attempt to
/// tell defective training images apart: contamination-naive on purpose, the yardstick FUN-AD must beat.
/// </summary>
public static class PatchCoreTrainer
{
    public static PatchCoreModel Fit(IReadOnlyList<ExtractedImage> images, DetectionMode mode, BackboneReference backbone, FeatureSettings featureSettings,
        PatchCoreOptions options, ComputeDevice device, IProgress<StageProgress>? progress = null, CancellationToken cancellation = default)
    {
        options.Validate();
        if (images.Count == 0) throw new ArgumentException("PatchCore needs at least one training image.", nameof(images));
        var dimension = mode == DetectionMode.Defect ? backbone.PatchDim : backbone.GlobalDim;
        var perImage = mode == DetectionMode.Defect ? backbone.Grid * backbone.Grid : 1;
        var all = new float[(long)images.Count * perImage * dimension];
        for (var i = 0; i < images.Count; i++)
        {
            var source = mode == DetectionMode.Defect ? images[i].Features.Patches : images[i].Features.Global;
            source.CopyTo(all, (long)i * perImage * dimension);
        }

        var total = images.Count * perImage;
        var keep = Math.Max(1, (int)Math.Ceiling(total * options.CoresetRatio));
        float[] bank;
        if (keep >= total)
        {
            bank = all;
        }
        else
        {
            var coresetProgress = progress is null ? null : new InlineProgress<double>(f => progress.Report(new StageProgress("coreset", f, $"{keep} of {total} features")));
            var chosen = GreedyCoreset.Select(all, dimension, keep, options.ProjectionDimension, options.Seed, device, coresetProgress, cancellation);
            bank = new float[(long)keep * dimension];
            for (var i = 0; i < keep; i++) Array.Copy(all, (long)chosen[i] * dimension, bank, (long)i * dimension, dimension);
        }

        var settings = new Dictionary<string, JsonElement>
        {
            ["coresetRatio"] = JsonSerializer.SerializeToElement(options.CoresetRatio),
            ["projectionDimension"] = JsonSerializer.SerializeToElement(options.ProjectionDimension),
            ["seed"] = JsonSerializer.SerializeToElement(options.Seed),
            ["bankSize"] = JsonSerializer.SerializeToElement(bank.Length / dimension),
        };
        var manifest = new ModelManifest(PatchCoreModel.MethodName, mode.Name(), backbone, featureSettings.CenterCrop, images.Count,
            Threshold: null, ThresholdRule: "none: PatchCore distances have no label-free threshold; pick one from the score distribution or from labelled images",
            settings, DateTimeOffset.UtcNow);
        return new PatchCoreModel(manifest, bank, dimension, device);
    }
}
