using FunAd.Engine.Baselines.PatchCore;
using FunAd.Engine.Datasets;
using FunAd.Engine.Devices;
using FunAd.Engine.Export;
using FunAd.Engine.Features;
using FunAd.Engine.FunAdBank;
using FunAd.Engine.Imaging;
using FunAd.Engine.MemoryBank;
using FunAd.Engine.Models;
using FunAd.Engine.Onnx.Format;
using FunAd.Engine.Scoring;
using FunAd.Engine.Training;
using FunAd.Engine.Workflows;
using FunAd.Tests.Support;
using Microsoft.ML.OnnxRuntime;

namespace FunAd.Tests.Export;

/// <summary>
/// The exported file, run by plain ONNX Runtime, must score exactly like the engine's own TorchSharp
/// path (Local-Net or nearest-neighbour search on the backbone's features, then the method's map).
/// </summary>
public class ExportParityTests
{
    private static readonly ComputeDevice Cpu = ComputeDevice.Resolve(DeviceChoice.Cpu);

    /// <summary>Method, mode, and for funad-bank the weight of FUN-AD's patch scores mixed into the bank's.</summary>
    public static TheoryData<string, string, double> Cases => new()
    {
        { AnomalyMethod.FunAd, "defect", 0 },
        { AnomalyMethod.FunAd, "semantic", 0 },
        { AnomalyMethod.PatchCore, "defect", 0 },
        { AnomalyMethod.PatchCore, "semantic", 0 },
        { AnomalyMethod.FunAdBank, "defect", 0 },
        { AnomalyMethod.FunAdBank, "defect", 0.4 },
        { AnomalyMethod.FunAdBank, "semantic", 0 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Onnx_runtime_on_the_exported_file_gives_the_engines_scores_and_maps(string method, string mode, double funAdMapWeight)
    {
        using var folder = new TemporaryFolder();
        var root = TestImages.WriteMvtecLayout(folder.Combine("bricks"), train: 5, testGood: 2, testDefect: 2);
        var context = new EngineContext(Cpu, new FeatureCache(folder.Combine("cache")), DecodeLimits.Default);
        var funAd = FunAdProfiles.Get("fast", mode == "semantic") with { Epochs = 3, BatchSize = 4, Seed = 1 };
        // A cleaned bank that sets an image aside, with k = 3 in semantic mode (the TopK path of the graph).
        var request = new TrainRequest(MvtecLayout.ReadTrainingSet(root), folder.Combine("model"), method, DetectionModeParser.Parse(mode),
            "resnet18", new FeatureSettings(), new PatchCoreOptions(0.5), funAd, Bank: new FunAdBankOptions { SetAsideShare = 0.2, Neighbours = 3, CoresetRatio = 0.5, FunAdMapWeight = funAdMapWeight });
        TrainWorkflow.Run(context, request);
        using var model = ModelDirectory.Load(request.OutputDirectory, Cpu);
        // The blended case must really carry FUN-AD's head, or it would only repeat the bank's case.
        Assert.Equal(funAdMapWeight > 0, model is MemoryBankModel { Blend: not null, FunAdHead: not null });
        var file = folder.Combine("model.onnx");
        ModelExporter.Export(model, file);

        // The engine's own path: features, then the model's patch scores, then the method's map at 224.
        var test = MvtecLayout.ReadTestSet(root);
        using var extractor = context.OpenBackboneOf(model.Manifest);
        var batch = new float[test.Count * 3 * 224 * 224];
        for (var i = 0; i < test.Count; i++)
            ImageResizer.ToChw(ImageLoader.Load(test[i].Source.Path, DecodeLimits.Default), 224, false, batch.AsSpan(i * 3 * 224 * 224, 3 * 224 * 224));
        var features = extractor.Extract(batch, test.Count);

        // An independent reading of the file: a plain ONNX Runtime session, nothing of FunAd's inference code.
        using var session = new InferenceSession(file);
        using var input = OrtValue.CreateTensorValueFromMemory(batch, [test.Count, 3, 224, 224]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, ["image"], [input], ["pred_score", "anomaly_map"]);
        var onnxScores = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        var onnxMaps = outputs[1].GetTensorDataAsSpan<float>().ToArray();
        Assert.Equal(new long[] { test.Count }, outputs[0].GetTensorTypeAndShape().Shape);
        Assert.Equal(new long[] { test.Count, 1, 224, 224 }, outputs[1].GetTensorTypeAndShape().Shape);

        // FUN-AD scores an image by its largest patch score (the paper's rule), the memory banks by the map's largest value.
        var rule = ImageScore.RuleOf(model.Manifest);
        Assert.Equal(mode == "defect" && method != AnomalyMethod.FunAd ? ImageScore.MapMax : ImageScore.PatchMax, rule);
        for (var i = 0; i < test.Count; i++)
        {
            var patchScores = model.ScorePatches(features[i]);
            var map = mode == "defect"
                ? AnomalyMap.Render(patchScores, 28, 224, 224)
                : Enumerable.Repeat(patchScores.Single(), 224 * 224).ToArray();
            Assert.Equal(rule == ImageScore.MapMax ? map.Max() : patchScores.Max(), onnxScores[i], 1e-4f);
            Assert.Equal(ImageScore.Of(rule, patchScores, 28, 224), onnxScores[i], 1e-4f);
            var worst = map.Select((v, p) => Math.Abs(v - onnxMaps[i * 224 * 224 + p])).Max();
            Assert.True(worst < 1e-4, $"image {i}: map differs by {worst}");
        }
        Assert.NotEqual(onnxScores[0], onnxScores[^1]);
    }

    [Fact]
    public void The_file_carries_the_contracts_metadata_and_only_standard_operators_with_a_dynamic_batch()
    {
        using var folder = new TemporaryFolder();
        var root = TestImages.WriteMvtecLayout(folder.Combine("bricks"), train: 3, testGood: 1, testDefect: 1);
        var context = new EngineContext(Cpu, null, DecodeLimits.Default);
        var request = new TrainRequest(MvtecLayout.ReadTrainingSet(root), folder.Combine("model"), AnomalyMethod.FunAd, DetectionMode.Defect,
            "resnet18", new FeatureSettings(), new PatchCoreOptions(), FunAdProfiles.Get("fast", false) with { Epochs = 1, BatchSize = 2 });
        TrainWorkflow.Run(context, request);
        using var model = ModelDirectory.Load(request.OutputDirectory, Cpu);
        var file = folder.Combine("m.onnx");
        ModelExporter.Export(model, file);

        var proto = ModelProto.Parser.ParseFrom(File.ReadAllBytes(file));
        var metadata = proto.MetadataProps.ToDictionary(p => p.Key, p => p.Value);

        foreach (var key in new[] { "funad.version", "funad.backbone", "funad.mode", "funad.input_size", "funad.threshold", "funad.preprocessing" })
            Assert.False(string.IsNullOrWhiteSpace(metadata.GetValueOrDefault(key)), $"metadata {key} is missing");
        Assert.Equal("224", metadata["funad.input_size"]);
        Assert.Equal("0.5", metadata["funad.threshold"]);
        Assert.Equal("defect", metadata["funad.mode"]);
        Assert.All(proto.Graph.Node, n => Assert.True(n.Domain is "" or "ai.onnx", $"{n.OpType} is from domain {n.Domain}"));
        Assert.Equal("N", proto.Graph.Input.Single().Type.TensorType.Shape.Dim[0].DimParam);
        using var session = new InferenceSession(file);
        foreach (var n in new[] { 1, 3 })
        {
            using var input = OrtValue.CreateTensorValueFromMemory(new float[n * 3 * 224 * 224], [n, 3, 224, 224]);
            using var runOptions = new RunOptions();
            using var outputs = session.Run(runOptions, ["image"], [input], ["pred_score"]);
            Assert.Equal(new long[] { n }, outputs[0].GetTensorTypeAndShape().Shape);
        }
    }
}
