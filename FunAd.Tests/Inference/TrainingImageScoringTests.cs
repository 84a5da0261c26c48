using System.Security.Cryptography;
using FunAd.Engine.Baselines.PatchCore;
using FunAd.Engine.Datasets;
using FunAd.Engine.Devices;
using FunAd.Engine.Export;
using FunAd.Engine.Features;
using FunAd.Engine.FunAdBank;
using FunAd.Engine.Imaging;
using FunAd.Engine.Inference;
using FunAd.Engine.MemoryBank;
using FunAd.Engine.Models;
using FunAd.Engine.Onnx.Format;
using FunAd.Engine.Scoring;
using FunAd.Engine.Training;
using FunAd.Engine.Workflows;
using FunAd.Tests.Support;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;

namespace FunAd.Tests.Inference;

/// <summary>
/// A memory bank's training images are scored without their own bank rows: otherwise a defective
/// image that was trained on finds its own defect in the bank and scores zero, and "find the defects
/// in this set" finds none of those kept in the bank.
/// </summary>
public class TrainingImageScoringTests
{
    private static readonly ComputeDevice Cpu = ComputeDevice.Resolve(DeviceChoice.Cpu);

    [Fact]
    public void A_defective_training_image_in_a_patchcore_bank_scores_high_instead_of_zero()
    {
        using var folder = new TemporaryFolder();
        var (context, root, copy) = ContaminatedSet(folder);
        TrainWorkflow.Run(context, Request(root, folder, AnomalyMethod.PatchCore, DetectionMode.Defect));
        using var model = (MemoryBankModel)ModelDirectory.Load(folder.Combine("model"), Cpu);
        Assert.NotNull(model.Images);
        Assert.Equal(7, model.Images!.Hashes.Count);

        var training = MvtecLayout.ReadTrainingSet(root);
        using var scorer = OnnxAnomalyScorer.Open(model, Cpu);
        Assert.True(scorer.KnowsTrainingImages);
        var pipeline = new ScoringPipeline(scorer, new FeatureSettings(), DecodeLimits.Default);
        var run = pipeline.Run(training.ToList());
        Assert.All(run.Images, s => Assert.True(s.OwnRowsLeftOut, s.Source.Name));
        var defective = run.Images.Single(s => s.Source.Path == copy).Score;
        var good = run.Images.Where(s => s.Source.Path != copy).Select(s => s.Score).ToList();
        Assert.True(defective > good.Max(), $"the defective training image scores {defective}, a good one up to {good.Max()}");

        // Without leaving its own rows out (the exported file's default), every row of it is in the bank: distance zero.
        using var plain = new InferenceSession(ExportedBytes(model));
        var alone = RunOnnx(plain, [copy], exclude: null).Scores.Single();
        Assert.True(alone < good.Min() / 10, $"with its own rows, the defective training image scores {alone}; good ones at least {good.Min()}");

        // A new file is not a training image, whatever its name.
        var fresh = folder.Combine("new", "000.png");
        using (var crop = TestImages.BrickCrop(300, 300, 96)) TestImages.Save(crop, fresh);
        var scoredNew = pipeline.Run([new ImageSource("000.png", fresh)]);
        Assert.False(scoredNew.Images.Single().OwnRowsLeftOut);
    }

    [Theory]
    [InlineData(AnomalyMethod.PatchCore, "defect", 0)]
    [InlineData(AnomalyMethod.PatchCore, "semantic", 0)]
    [InlineData(AnomalyMethod.FunAdBank, "defect", 0)]
    [InlineData(AnomalyMethod.FunAdBank, "defect", 0.1)]
    [InlineData(AnomalyMethod.FunAdBank, "semantic", 0)]
    public void The_engine_the_exported_file_and_a_brute_force_search_agree_on_own_rows_out_scores(string method, string modeName, double funAdMapWeight)
    {
        using var folder = new TemporaryFolder();
        var mode = DetectionModeParser.Parse(modeName);
        var (context, root, _) = ContaminatedSet(folder);
        TrainWorkflow.Run(context, Request(root, folder, method, mode, funAdMapWeight));
        using var model = (MemoryBankModel)ModelDirectory.Load(folder.Combine("model"), Cpu);
        Assert.Equal(funAdMapWeight > 0, model.Blend is not null);
        var images = model.Images ?? throw new Xunit.Sdk.XunitException("the model did not keep its rows' images");

        var proto = ModelProto.Parser.ParseFrom(ExportedBytes(model));
        Assert.Equal(string.Join(',', images.Hashes), proto.MetadataProps.Single(p => p.Key == ExportContract.BankImagesKey).Value);

        var training = MvtecLayout.ReadTrainingSet(root).Select(t => t.Path).ToList();
        var owners = training.Select(p => images.IndexOf(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(p))))).ToArray();
        Assert.Contains(owners, o => o >= 0);

        // The exported file run by plain ONNX Runtime with exclude_image, against the engine's TorchSharp search.
        using var session = new InferenceSession(ExportedBytes(model));
        var (scores, maps) = RunOnnx(session, training, owners.Select(o => (long)o).ToArray());
        using var extractor = context.OpenBackboneOf(model.Manifest);
        var batch = Decode(training);
        var features = extractor.Extract(batch, training.Count);
        var rule = ImageScore.RuleOf(model.Manifest);
        for (var i = 0; i < training.Count; i++)
        {
            var patchScores = model.ScorePatches(features[i], owners[i]);
            Assert.Equal(ImageScore.Of(rule, patchScores, 28, 224), scores[i], 1e-4f);
            if (mode == DetectionMode.Defect)
            {
                var map = AnomalyMap.Render(patchScores, 28, 224, 224);
                Assert.True(map.Select((v, p) => Math.Abs(v - maps[i * 224 * 224 + p])).Max() < 1e-4, $"image {i}: map");
            }
            // The defect bank is searched in L2 (k = 1): check the leave-own-rows-out search by brute force (mixed with FUN-AD's score where blended).
            if (mode == DetectionMode.Defect && owners[i] >= 0)
            {
                var funAd = model.FunAdHead?.ScorePatches(features[i]);
                foreach (var patch in new[] { 0, 300, 783 })
                {
                    var nearest = BruteForceNearest(model, features[i].Patches.AsSpan(patch * model.Dimension, model.Dimension), owners[i]);
                    Assert.Equal(model.Blend is { } blend ? blend.Combine(nearest, funAd![patch]) : nearest, patchScores[patch], 1e-3f);
                }
            }
        }
        // Left out, an image's own rows no longer answer for it: its score rises (or stays, where another image was as near).
        var excludedAny = Enumerable.Range(0, training.Count).Where(i => owners[i] >= 0).ToList();
        var withOwn = RunOnnx(session, training, exclude: null).Scores;
        Assert.All(excludedAny, i => Assert.True(scores[i] >= withOwn[i] - 1e-5f, $"image {i}: {scores[i]} < {withOwn[i]}"));
        Assert.Contains(excludedAny, i => scores[i] > withOwn[i] + 1e-4f);

        // The model's files keep the owners: a reloaded model scores the same.
        using var reloaded = (MemoryBankModel)ModelDirectory.Load(folder.Combine("model"), Cpu);
        Assert.Equal(images.RowOwners, reloaded.Images!.RowOwners);
        Assert.All(model.ScorePatches(features[0], owners[0]).Zip(reloaded.ScorePatches(features[0], owners[0])),
            p => Assert.Equal(p.First, p.Second, 1e-4f));
    }

    private static float BruteForceNearest(MemoryBankModel model, ReadOnlySpan<float> query, int excluded)
    {
        var best = double.PositiveInfinity;
        for (var r = 0; r < model.BankSize; r++)
        {
            if (model.Images!.RowOwners[r] == excluded) continue;
            double sum = 0;
            for (var c = 0; c < model.Dimension; c++)
            {
                var d = query[c] - model.Bank[r * model.Dimension + c];
                sum += d * d;
            }
            best = Math.Min(best, sum);
        }
        return (float)Math.Sqrt(best);
    }

    /// <summary>Six good brick crops and, among the training images, a copy of a stained test image: the contamination.</summary>
    private static (EngineContext Context, string Root, string Copy) ContaminatedSet(TemporaryFolder folder)
    {
        var root = TestImages.WriteMvtecLayout(folder.Combine("bricks"), train: 6, testGood: 0, testDefect: 1);
        var copy = Path.Combine(root, "train", "good", "900.png");
        File.Copy(Path.Combine(root, "test", "stain", "000.png"), copy);
        return (new EngineContext(Cpu, new FeatureCache(folder.Combine("cache")), DecodeLimits.Default), root, copy);
    }

    private static TrainRequest Request(string root, TemporaryFolder folder, string method, DetectionMode mode, double funAdMapWeight = 0) =>
        new(MvtecLayout.ReadTrainingSet(root), folder.Combine("model"), method, mode, "resnet18", new FeatureSettings(), new PatchCoreOptions(1.0),
            FunAdProfiles.Get("fast", mode == DetectionMode.Semantic) with { Epochs = 2, BatchSize = 4, Seed = 1 },
            // Nothing set aside, so every training image has rows in the bank; k = 2 in semantic mode (the TopK path).
            Bank: new FunAdBankOptions { SetAsideShare = 0, SuspectShare = 0, Neighbours = 2, CoresetRatio = 1.0, FunAdMapWeight = funAdMapWeight });

    private static byte[] ExportedBytes(MemoryBankModel model)
    {
        return ModelExporter.Build(model).ToByteArray();
    }

    private static float[] Decode(IReadOnlyList<string> paths)
    {
        const int plane = 3 * 224 * 224;
        var batch = new float[paths.Count * plane];
        for (var i = 0; i < paths.Count; i++)
            ImageResizer.ToChw(ImageLoader.Load(paths[i], DecodeLimits.Default), 224, false, batch.AsSpan(i * plane, plane));
        return batch;
    }

    private static (float[] Scores, float[] Maps) RunOnnx(InferenceSession session, IReadOnlyList<string> paths, long[]? exclude)
    {
        var batch = Decode(paths);
        using var input = OrtValue.CreateTensorValueFromMemory(batch, [paths.Count, 3, 224, 224]);
        using var runOptions = new RunOptions();
        if (exclude is null)
        {
            using var plain = session.Run(runOptions, [ExportContract.Input], [input], [ExportContract.Score, ExportContract.Map]);
            return (plain[0].GetTensorDataAsSpan<float>().ToArray(), plain[1].GetTensorDataAsSpan<float>().ToArray());
        }
        using var excluded = OrtValue.CreateTensorValueFromMemory(exclude, [exclude.Length]);
        using var outputs = session.Run(runOptions, [ExportContract.Input, ExportContract.ExcludeImage], [input, excluded], [ExportContract.Score, ExportContract.Map]);
        return (outputs[0].GetTensorDataAsSpan<float>().ToArray(), outputs[1].GetTensorDataAsSpan<float>().ToArray());
    }
}
