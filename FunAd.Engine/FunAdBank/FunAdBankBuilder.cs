using System.Text.Json;
using FunAd.Engine.Devices;
using FunAd.Engine.Features;
using FunAd.Engine.MemoryBank;
using FunAd.Engine.Models;
using FunAd.Engine.Scoring;
using FunAd.Engine.Search;
using FunAd.Engine.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace FunAd.Engine.FunAdBank;

/// <summary>
/// The cleaned bank (rows of <paramref name="Dimension"/> values), the settings its manifest records
/// (scoring, cleaning, what was set aside), the training image of each bank row, the label-free threshold with its rule, the images set aside,
/// and in defect mode with <see cref="FunAdBankOptions.FunAdMapWeight"/> above 0 the blend of FUN-AD's patch scores into the bank's.
/// </summary>
public sealed record FunAdBankResult(float[] Bank, int Dimension, BankImages? Images, Dictionary<string, JsonElement> Settings, double Threshold,
    string ThresholdRule, IReadOnlyList<SetAsideImage> SetAside, FunAdMapBlend? Blend = null);

/// <summary>
/// Method funad-bank, after FUN-AD has trained. The candidate bank is PatchCore's (defect: the greedy
/// coreset of every training patch; semantic: every image's global feature). Each training image and
/// patch is judged by FUN-AD's score and, with <see cref="FunAdBankOptions.Cleaning"/> "both", also by
/// its distance to the candidate bank without its own image (a defect is unlike the other images);
/// the images judged most anomalous are set aside whole, and in defect mode the most anomalous patches
/// of the next-ranked images (the suspects) too. The rest is the bank (with <see cref="FunAdBankOptions.CoresetOf"/> "kept",
/// the coreset chosen again from the kept patches) (defect: L2 to the nearest; semantic: mean cosine distance
/// to the k nearest). The threshold needs no labels: a high percentile (<see cref="FunAdBankOptions.ThresholdQuantile"/>, else
/// <see cref="ThresholdQuantile"/>) of kept images' scores, each
/// scored against the bank without its own features, as a new normal image would be (through the
/// model's image score rule, on a map of <c>mapSize</c> pixels, the backbone's input size).
/// </summary>
public static class FunAdBankBuilder
{
    /// <summary>At most this many kept images are scored against the bank to set the threshold (the cost grows with each).</summary>
    private const int ThresholdSample = 128;

    /// <summary>Own-image-out distances are measured against at most this many candidate rows (the coreset's first, coarsest picks).</summary>
    private const int JudgeRows = 16384;

    /// <summary>
    /// The threshold's percentile of the kept images' scores. Defect mode: the 95th, about one normal image in
    /// twenty above it (the 90th flagged about twice the true share of 10%-contaminated sets once training images
    /// were scored without their own rows). Semantic mode: the 97th, because there every set-aside image scores
    /// above the threshold too, so the 95th flagged 17-21% of 10%-contaminated Fashion-MNIST training sets (2.1x on
    /// pullover); the 97th flags 12-18% on all ten classes (docs/benchmarks.md, "The threshold suggestion, recalibrated").
    /// </summary>
    public static double ThresholdQuantile(DetectionMode mode) => mode == DetectionMode.Defect ? 0.95 : 0.97;

    public static FunAdBankResult Build(LocalNet net, TrainingSet data, IReadOnlyList<ExtractedImage> images, DetectionMode mode,
        FunAdBankOptions options, int seed, int mapSize, ComputeDevice device, IProgress<StageProgress>? progress, CancellationToken cancellation)
    {
        options.Validate();
        var count = data.RealCount;
        var rows = data.Layout.Rows;
        var defect = mode == DetectionMode.Defect;
        var dimension = defect ? images[0].Features.Patches.Length / rows : images[0].Features.Global.Length;
        var metric = defect ? BankMetric.L2 : BankMetric.Cosine;

        progress?.Report(new StageProgress("bank", 0, "FUN-AD scores its training images"));
        var funAdPatches = FunAdTrainer.PatchScores(net, data.Features, count, rows);

        // The candidate bank: every row, or PatchCore's coreset of them; each candidate remembers its image and patch.
        var all = new float[(long)count * rows * dimension];
        for (var i = 0; i < count; i++)
            (defect ? images[i].Features.Patches : images[i].Features.Global).CopyTo(all, (long)i * rows * dimension);
        var (candidates, chosen) = defect
            ? CoresetBank.Select(all, dimension, options.CoresetRatio, options.ProjectionDimension, seed, device, progress, cancellation, "patches")
            : (all, Enumerable.Range(0, count).ToArray());
        var owner = chosen.Select(c => c / rows).ToArray();
        var patch = chosen.Select(c => c % rows).ToArray();
        var k = defect ? 1 : Math.Min(options.Neighbours, Math.Max(1, count - 1));

        float[] patchJudgement, imageJudgement;
        var funAdImages = MaxPerImage(funAdPatches, count, rows);
        if (options.Cleaning == FunAdBankOptions.CleaningBoth)
        {
            progress?.Report(new StageProgress("bank", 0.5, "each image against the others"));
            var judge = Math.Min(JudgeRows, chosen.Length);
            var bankPatches = OwnImageOutScores(images, Enumerable.Range(0, count).ToArray(), candidates.AsSpan(0, judge * dimension).ToArray(),
                owner.Take(judge).ToArray(), dimension, rows, defect, metric, k, device, cancellation);
            patchJudgement = BankCleaning.HigherRank(funAdPatches, bankPatches);
            imageJudgement = BankCleaning.HigherRank(funAdImages, MaxPerImage(bankPatches, count, rows));
        }
        else
        {
            (patchJudgement, imageJudgement) = (funAdPatches, funAdImages);
        }
        var aside = BankCleaning.ImagesToSetAside(imageJudgement, options.SetAsideShare);
        var suspect = defect ? BankCleaning.Suspects(imageJudgement, options.SetAsideShare, options.SuspectShare) : new bool[count];
        var cut = defect ? BankCleaning.PatchCut(patchJudgement, options.PatchQuantile) : float.PositiveInfinity;
        bool Kept(int image, int p) => !aside[image] && !(suspect[image] && patchJudgement[image * rows + p] > cut);
        float[] bank;
        int[] bankOwners;
        if (defect && options.CoresetOf == FunAdBankOptions.CoresetOfKept && options.CoresetRatio < 1)
        {
            // The coreset chosen again, from the kept patches only, so no normal region loses the one row that covered it.
            var kept = Enumerable.Range(0, count * rows).Where(r => Kept(r / rows, r % rows)).ToArray();
            (bank, var picked) = CoresetBank.Select(FeatureRows.Gather(all, kept, dimension), dimension, options.CoresetRatio, options.ProjectionDimension, seed, device, progress, cancellation,
                "kept patches");
            bankOwners = picked.Select(p => kept[p] / rows).ToArray();
        }
        else
        {
            var keep = Enumerable.Range(0, chosen.Length).Where(r => Kept(owner[r], patch[r])).ToArray();
            bank = FeatureRows.Gather(candidates, keep, dimension);
            bankOwners = keep.Select(r => owner[r]).ToArray();
        }
        var bankRows = bankOwners.Length;
        var patchesLeftOut = Enumerable.Range(0, count).Where(i => suspect[i]).Sum(i => Enumerable.Range(0, rows).Count(p => !Kept(i, p)));
        k = Math.Min(k, Math.Max(1, bankOwners.Distinct().Count() - 1));
        progress?.Report(new StageProgress("bank", 0.8, $"{aside.Count(a => a)} images and {patchesLeftOut} patches set aside; {bankRows} features in the bank"));

        // Each sampled image scored as the model will score a new image: its patches against the bank, then the image score rule.
        var settings = MemoryBankModel.ScoringSettings(metric, k, bankRows, mode);
        var imageScore = ImageScore.RuleIn(settings, mode);
        var sample = Enumerable.Range(0, count).Where(i => !aside[i]).OrderBy(i => (i * 7919L + seed) % 104729).Take(ThresholdSample).ToArray();
        var samplePatches = OwnImageOutScores(images, sample, bank, bankOwners, dimension, rows, defect, metric, k, device, cancellation);
        FunAdMapBlend? blend = null;
        if (defect && options.FunAdMapWeight > 0)
        {
            // The two maps of the same kept images set the blend's units; the threshold is then taken on the blended scores.
            var funAdSample = sample.SelectMany(i => funAdPatches.AsSpan(i * rows, rows).ToArray()).ToArray();
            blend = FunAdMapBlend.Fit(options.FunAdMapWeight, Maps(samplePatches, sample.Length, rows, data.Layout.Grid, mapSize),
                Maps(funAdSample, sample.Length, rows, data.Layout.Grid, mapSize));
            samplePatches = blend.Combine(samplePatches, funAdSample);
            settings[FunAdMapBlend.Setting] = blend.ToJson();
        }
        var ownOut = Enumerable.Range(0, sample.Length)
            .Select(s => ImageScore.Of(imageScore, samplePatches.AsSpan(s * rows, rows), data.Layout.Grid, mapSize)).ToArray();
        var quantile = options.ThresholdQuantile ?? ThresholdQuantile(mode);
        var threshold = Quantile(ownOut, quantile);
        var rule = $"label-free: the {quantile * 100:0}th percentile of {ownOut.Length} kept training images' scores, each against the bank without its own features " +
                   $"(about one normal image in {Math.Round(1 / (1 - quantile)):0} above it)" +
                   (blend is null ? "" : $"; each patch scored by the bank's distance and FUN-AD's score, mixed with FUN-AD's weight {blend.Weight:0.##}");

        foreach (var property in JsonSerializer.SerializeToElement(options, ModelManifest.Json).EnumerateObject()) settings["bank." + property.Name] = property.Value;
        settings["setAsideImages"] = JsonSerializer.SerializeToElement(aside.Count(a => a));
        settings["patchesLeftOut"] = JsonSerializer.SerializeToElement(patchesLeftOut);
        var setAside = Enumerable.Range(0, count).Where(i => aside[i]).OrderByDescending(i => imageJudgement[i])
            .Select(i => new SetAsideImage(images[i].Source.Name, images[i].ContentHash, funAdImages[i])).ToList();
        settings[SetAsideImage.Setting] = SetAsideImage.ToJson(setAside);
        var bankImages = BankImages.Of(images.Take(count).Select(i => i.ContentHash).ToList(), bankOwners);
        return new FunAdBankResult(bank, dimension, bankImages, settings, threshold, rule, setAside, blend);
    }

    /// <summary>Every image's map (its patch scores upsampled and smoothed as the model renders them), one after another.</summary>
    private static float[] Maps(float[] patchScores, int count, int rows, int grid, int mapSize) =>
        Enumerable.Range(0, count).SelectMany(i => AnomalyMap.Render(patchScores.AsSpan(i * rows, rows), grid, mapSize, mapSize)).ToArray();

    private static float[] MaxPerImage(float[] perRow, int count, int rows) =>
        Enumerable.Range(0, count).Select(i => perRow.AsSpan(i * rows, rows).ToArray().Max()).ToArray();

    /// <summary>
    /// Each given image's score against the bank with the bank rows of its own image masked out (what the
    /// image would score as a new image of the same kind), one per row (patch), image after image.
    /// </summary>
    private static float[] OwnImageOutScores(IReadOnlyList<ExtractedImage> images, int[] which, float[] bank, int[] bankOwners, int dimension, int rows,
        bool defect, BankMetric metric, int k, ComputeDevice device, CancellationToken cancellation)
    {
        using var index = new NearestNeighbourIndex(bank, dimension, device, metric, k);
        using var scope = NewDisposeScope();
        var owners = tensor(bankOwners.Select(i => (long)i).ToArray(), device: device.TorchDevice);
        var scores = new float[which.Length * rows];
        for (var s = 0; s < which.Length; s++)
        {
            cancellation.ThrowIfCancellationRequested();
            using var step = NewDisposeScope();
            var features = defect ? images[which[s]].Features.Patches : images[which[s]].Features.Global;
            using var image = ((long)which[s]).ToScalar();
            var perRow = index.Scores(tensor(features, [rows, dimension], device: device.TorchDevice), excluded: owners.eq(image));
            perRow.cpu().data<float>().ToArray().CopyTo(scores, s * rows);
        }
        return scores;
    }

    private static double Quantile(float[] values, double q)
    {
        var sorted = values.Order().ToArray();
        var position = q * (sorted.Length - 1);
        var low = (int)Math.Floor(position);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + (position - low) * (sorted[high] - sorted[low]);
    }
}
