using FunAd.Engine.Backbones;
using FunAd.Engine.Devices;
using FunAd.Engine.Features;
using FunAd.Engine.MemoryBank;
using FunAd.Engine.Scoring;
using FunAd.Engine.FunAdBank;
using FunAd.Engine.Models;
using FunAd.Engine.Search;
using FunAd.Engine.Training;

namespace FunAd.Tests.FunAdBank;

/// <summary>
/// FUN-AD's scores clean the bank: on a set where 10% of the images hide a far-off defect feature, the
/// cleaned bank holds none of those defects, so a new image with such a defect scores high, while a
/// bank of every image (PatchCore) has the defect in it and scores it as normal.
/// </summary>
public class FunAdBankBuilderTests
{
    private static readonly ComputeDevice Cpu = ComputeDevice.Resolve(DeviceChoice.Cpu);
    private const int Dimension = 8;

    /// <summary>40 images of 4 patches around the origin; in images 3, 13, 23, 33 patch 0 lies 4 units off in direction i / 10.</summary>
    private static List<ExtractedImage> Contaminated(int seed)
    {
        var random = new Random(seed);
        var images = new List<ExtractedImage>();
        for (var i = 0; i < 40; i++)
        {
            var patches = new float[4 * Dimension];
            for (var j = 0; j < patches.Length; j++) patches[j] = (float)(random.NextDouble() - 0.5);
            if (i % 10 == 3) patches[i / 10] += 4;
            var global = patches.Take(Dimension).ToArray();
            images.Add(new ExtractedImage(new ImageSource($"{i:00}.png", $"/nowhere/{i:00}.png"), $"hash{i:00}", 64, 64, new ImageFeatures(patches, global)));
        }
        return images;
    }

    private static FunAdOptions Quick => new() { Epochs = 25, BatchSize = 8, LearningRate = 1e-3, SyntheticAnomalies = false, Seed = 7 };

    private static FunAdBankResult Clean(List<ExtractedImage> images, DetectionMode mode, FunAdBankOptions bank) => CleanScored(images, mode, bank).Result;

    /// <summary>The cleaned bank, and FUN-AD's score of every training patch (image after image) from the net that judged them.</summary>
    private static (FunAdBankResult Result, float[] FunAdPatches) CleanScored(List<ExtractedImage> images, DetectionMode mode, FunAdBankOptions bank)
    {
        var layout = new PatchFeatureLayout(mode, ConcatGlobal: false, Grid: 2, PatchDim: Dimension, GlobalDim: Dimension);
        using var data = TrainingSet.Build(images.Select(i => i.Features).ToList(), [], layout, Cpu);
        using var net = new FunAdTrainer(Quick, Cpu).Train(data, null, "test").Net;
        var result = FunAdBankBuilder.Build(net, data, images, mode, bank, seed: 1, mapSize: 224, Cpu, null, default);
        return (result, FunAdTrainer.PatchScores(net, data.Features, images.Count, layout.Rows));
    }

    [Fact]
    public void The_images_hiding_defects_are_set_aside_and_a_new_defect_like_them_scores_far_above_normal_patches()
    {
        var images = Contaminated(1);
        var cleaned = Clean(images, DetectionMode.Defect, new FunAdBankOptions { SetAsideShare = 0.15, PatchQuantile = 1, CoresetRatio = 1, FunAdMapWeight = 0 });

        Assert.Equal(6, cleaned.SetAside.Count);
        Assert.Subset(cleaned.SetAside.Select(s => s.Name).ToHashSet(), new HashSet<string> { "03.png", "13.png", "23.png", "33.png" });
        Assert.Equal(34 * 4, cleaned.Bank.Length / Dimension);

        var defect = new float[Dimension];
        defect[1] = 4; // like image 13's defect
        var normal = images[0].Features.Patches.Take(Dimension).ToArray();
        using var cleanedBank = new NearestNeighbourIndex(cleaned.Bank, Dimension, Cpu);
        var everything = images.SelectMany(i => i.Features.Patches).ToArray();
        using var patchCore = new NearestNeighbourIndex(everything, Dimension, Cpu);

        Assert.True(cleanedBank.Scores(defect).Single() > 2.5, $"defect scores {cleanedBank.Scores(defect).Single()} against the cleaned bank");
        Assert.True(patchCore.Scores(defect).Single() < 1.5, "PatchCore's bank holds the defect, so it scores low");
        Assert.True(cleanedBank.Scores(normal).Single() < 1);
        // The label-free threshold lies between normal images and such a defect.
        Assert.InRange(cleaned.Threshold, cleanedBank.Scores(normal).Single(), cleanedBank.Scores(defect).Single());
    }

    [Fact]
    public void A_suspect_images_patches_above_the_quantile_stay_out_of_the_bank()
    {
        var images = Contaminated(2);
        // Every image a suspect: the cut reaches all of them.
        var cleaned = Clean(images, DetectionMode.Defect, new FunAdBankOptions { SetAsideShare = 0, SuspectShare = 1, PatchQuantile = 0.95, CoresetRatio = 1 });

        Assert.Empty(cleaned.SetAside);
        Assert.Equal((int)Math.Floor(160 * 0.95), cleaned.Bank.Length / Dimension);
        // The four far-off defect patches are among the 5% left out: no bank row lies 2 units off the origin.
        Assert.All(cleaned.Bank.Chunk(Dimension), row => Assert.True(row.Max(Math.Abs) < 2));
    }

    [Fact]
    public void Images_that_are_not_suspects_keep_every_patch()
    {
        var images = Contaminated(2);
        var cleaned = Clean(images, DetectionMode.Defect, new FunAdBankOptions { SetAsideShare = 0, SuspectShare = 0, PatchQuantile = 0.5, CoresetRatio = 1 });

        Assert.Equal(160, cleaned.Bank.Length / Dimension);
        Assert.Equal(0, cleaned.Settings["patchesLeftOut"].GetInt32());
    }

    [Fact]
    public void A_coreset_of_the_kept_patches_is_chosen_after_cleaning_from_them_alone()
    {
        var images = Contaminated(1);
        var options = new FunAdBankOptions { SetAsideShare = 0.15, SuspectShare = 0, CoresetRatio = 0.25 };
        var ofAll = Clean(images, DetectionMode.Defect, options);
        var ofKept = Clean(images, DetectionMode.Defect, options with { CoresetOf = FunAdBankOptions.CoresetOfKept });

        // 34 kept images of 4 patches: a quarter of their 136 rows, where the coreset of all 160 rows loses the set-aside images' picks.
        Assert.Equal((int)Math.Ceiling(136 * 0.25), ofKept.Bank.Length / Dimension);
        Assert.True(ofAll.Bank.Length / Dimension < 34, $"the coreset of all rows keeps {ofAll.Bank.Length / Dimension} after cleaning");
        var setAside = ofKept.SetAside.Select(s => s.ContentHash).ToHashSet();
        Assert.DoesNotContain(ofKept.Images!.Hashes, setAside.Contains);
        Assert.Equal(ofKept.Bank.Length / Dimension, ofKept.Images.RowOwners.Length);
    }

    [Fact]
    public void Semantic_mode_keeps_the_global_features_of_the_kept_images_and_scores_by_cosine_distance_to_k_neighbours()
    {
        var images = Contaminated(3);
        var cleaned = Clean(images, DetectionMode.Semantic, new FunAdBankOptions { SetAsideShare = 0.1, Neighbours = 5, Cleaning = FunAdBankOptions.CleaningFunAd });

        Assert.Equal(36, cleaned.Bank.Length / Dimension);
        Assert.Equal("cosine", cleaned.Settings["metric"].GetString());
        Assert.Equal(5, cleaned.Settings["k"].GetInt32());
        Assert.Equal(["03.png", "13.png", "23.png", "33.png"], cleaned.SetAside.Select(s => s.Name).Order());
    }

    [Theory]
    [InlineData(DetectionMode.Semantic, null, 0.97)]
    [InlineData(DetectionMode.Defect, null, 0.95)]
    [InlineData(DetectionMode.Defect, 0.9, 0.9)]
    [InlineData(DetectionMode.Semantic, 0.8, 0.8)]
    public void The_threshold_is_the_given_or_the_modes_percentile_of_the_kept_images_scored_without_their_own_rows(DetectionMode mode, double? given, double quantile)
    {
        var images = Contaminated(3);
        var cleaned = Clean(images, mode, new FunAdBankOptions { SetAsideShare = 0.1, SuspectShare = 0, Neighbours = 3, CoresetRatio = 1, ThresholdQuantile = given, FunAdMapWeight = 0 });

        // Recomputed here with a fresh index per kept image, built from the bank rows of the other images.
        var dimension = cleaned.Dimension;
        var metric = mode == DetectionMode.Defect ? BankMetric.L2 : BankMetric.Cosine;
        var k = cleaned.Settings["k"].GetInt32();
        var owners = cleaned.Images!.RowOwners;
        var setAside = cleaned.SetAside.Select(a => a.ContentHash).ToHashSet();
        var scores = new List<double>();
        for (var i = 0; i < images.Count; i++)
        {
            if (setAside.Contains(images[i].ContentHash)) continue;
            var own = cleaned.Images.IndexOf(images[i].ContentHash);
            var others = FeatureRows.Gather(cleaned.Bank, Enumerable.Range(0, owners.Length).Where(r => owners[r] != own).ToArray(), dimension);
            using var index = new NearestNeighbourIndex(others, dimension, Cpu, metric, k);
            var rows = mode == DetectionMode.Defect ? images[i].Features.Patches : images[i].Features.Global;
            // The model's image score rule (defect: the smoothed map's peak on a 224-pixel map of the 2 x 2 grid).
            scores.Add(ImageScore.Of(ImageScore.RuleIn(cleaned.Settings, mode), index.Scores(rows), 2, 224));
        }
        var sorted = scores.Order().ToArray();
        var position = quantile * (sorted.Length - 1);
        var low = (int)Math.Floor(position);
        var expected = sorted[low] + (position - low) * (sorted[Math.Min(low + 1, sorted.Length - 1)] - sorted[low]);

        Assert.Equal(36, sorted.Length);
        Assert.Equal(expected, cleaned.Threshold, 4);
        Assert.Contains($"the {quantile * 100:0}th percentile of 36 kept training images", cleaned.ThresholdRule);
    }

    [Fact]
    public void With_funads_map_weight_each_patch_mixes_both_scores_in_units_of_the_kept_images_maps_and_the_threshold_is_taken_on_the_mix()
    {
        var images = Contaminated(3);
        var (cleaned, funAdPatches) = CleanScored(images, DetectionMode.Defect, new FunAdBankOptions { SetAsideShare = 0.1, CoresetRatio = 1, FunAdMapWeight = 0.4 });

        // Recomputed here: every kept image's patches against the bank rows of the other images, and FUN-AD's scores of the same patches.
        var owners = cleaned.Images!.RowOwners;
        var setAside = cleaned.SetAside.Select(a => a.ContentHash).ToHashSet();
        var kept = Enumerable.Range(0, images.Count).Where(i => !setAside.Contains(images[i].ContentHash)).ToArray();
        var bankPatches = new List<float>();
        var funAd = new List<float>();
        foreach (var i in kept)
        {
            var own = cleaned.Images.IndexOf(images[i].ContentHash);
            var others = FeatureRows.Gather(cleaned.Bank, Enumerable.Range(0, owners.Length).Where(r => owners[r] != own).ToArray(), Dimension);
            using var index = new NearestNeighbourIndex(others, Dimension, Cpu);
            bankPatches.AddRange(index.Scores(images[i].Features.Patches));
            funAd.AddRange(funAdPatches.Skip(i * 4).Take(4));
        }
        // The units: median and 99th percentile (nearest rank) of the kept images' maps, each rendered at 224 from the 2 x 2 grid.
        float[] Maps(List<float> patches) => Enumerable.Range(0, kept.Length).SelectMany(s => AnomalyMap.Render(patches.Skip(s * 4).Take(4).ToArray(), 2, 224, 224)).Order().ToArray();
        float NearestRank(float[] sorted, double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
        var (bankMaps, funAdMaps) = (Maps(bankPatches), Maps(funAd));
        var blend = cleaned.Blend!;
        Assert.Equal(0.4, blend.Weight);
        Assert.Equal(NearestRank(bankMaps, 0.5), blend.BankMedian, 4);
        Assert.Equal(NearestRank(bankMaps, 0.99), blend.BankHigh, 4);
        Assert.Equal(NearestRank(funAdMaps, 0.5), blend.FunAdMedian, 4);
        Assert.Equal(NearestRank(funAdMaps, 0.99), blend.FunAdHigh, 4);
        Assert.True(blend.BankHigh > blend.BankMedian && blend.FunAdHigh > blend.FunAdMedian);
        Assert.Equal(blend.ToJson().ToString(), cleaned.Settings[FunAdMapBlend.Setting].ToString());

        // The threshold: the 95th percentile of the kept images' scores, each the smoothed map's peak of its mixed patch scores.
        var scores = kept.Select((_, s) => ImageScore.Of(ImageScore.MapMax,
            bankPatches.Skip(s * 4).Take(4).Zip(funAd.Skip(s * 4).Take(4), (b, f) => 0.6 * (b - blend.BankMedian) / (blend.BankHigh - blend.BankMedian)
                + 0.4 * (f - blend.FunAdMedian) / (blend.FunAdHigh - blend.FunAdMedian)).Select(v => (float)v).ToArray(), 2, 224)).Order().ToArray();
        var position = 0.95 * (scores.Length - 1);
        var low = (int)Math.Floor(position);
        Assert.Equal(scores[low] + (position - low) * (scores[low + 1] - scores[low]), cleaned.Threshold, 3);
        Assert.Contains("mixed with FUN-AD's weight 0.4", cleaned.ThresholdRule);
    }

    [Fact]
    public void Semantic_mode_and_weight_zero_mix_nothing()
    {
        var images = Contaminated(3);

        Assert.Null(Clean(images, DetectionMode.Semantic, new FunAdBankOptions { SetAsideShare = 0.1, Neighbours = 3, FunAdMapWeight = 0.5 }).Blend);
        var plain = Clean(images, DetectionMode.Defect, new FunAdBankOptions { SetAsideShare = 0.1, CoresetRatio = 1, FunAdMapWeight = 0 });
        Assert.Null(plain.Blend);
        Assert.False(plain.Settings.ContainsKey(FunAdMapBlend.Setting));
    }
}
