using System.Text.Json;
using FunAd.Engine.Devices;
using FunAd.Engine.Features;
using FunAd.Engine.MemoryBank;
using FunAd.Engine.Models;

namespace FunAd.Engine.Baselines.PatchCore;

/// <summary>
/// Builds a PatchCore memory bank from every training image, with no training and no attempt to
/// tell defective training images apart: contamination-naive on purpose, the yardstick FUN-AD must beat.
/// A patch's score is its L2 distance to the nearest bank feature; in semantic mode the bank holds
/// global features, one per image. The bank remembers each row's image, so a training image is
/// scored without its own rows (<see cref="BankImages"/>).
/// </summary>
public static class PatchCoreTrainer
{
    public static MemoryBankModel Fit(IReadOnlyList<ExtractedImage> images, DetectionMode mode, BackboneReference backbone, FeatureSettings featureSettings,
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
        var (bank, chosen) = CoresetBank.Select(all, dimension, options.CoresetRatio, options.ProjectionDimension, options.Seed, device, progress, cancellation,
            mode == DetectionMode.Defect ? "patches" : "image features");

        var settings = MemoryBankModel.ScoringSettings(BankMetric.L2, 1, bank.Length / dimension, mode);
        settings["coresetRatio"] = JsonSerializer.SerializeToElement(options.CoresetRatio);
        settings["projectionDimension"] = JsonSerializer.SerializeToElement(options.ProjectionDimension);
        settings["seed"] = JsonSerializer.SerializeToElement(options.Seed);
        var manifest = new ModelManifest(AnomalyMethod.PatchCore, mode.Name(), backbone, featureSettings.CenterCrop, images.Count,
            Threshold: null, ThresholdRule: "none: PatchCore distances have no label-free threshold; pick one from the score distribution or from labelled images",
            settings, DateTimeOffset.UtcNow);
        var owners = BankImages.Of(images.Select(i => i.ContentHash).ToList(), chosen.Select(c => c / perImage).ToArray());
        return new MemoryBankModel(manifest, bank, dimension, device, owners);
    }
}
