using FunAd.Engine.Backbones;
using FunAd.Engine.Baselines.PatchCore;
using FunAd.Engine.Devices;
using FunAd.Engine.Features;
using FunAd.Engine.Imaging;
using FunAd.Engine.Inference;
using FunAd.Engine.Models;
using FunAd.Engine.Onnx;
using FunAd.Engine.Training;
using FunAd.Engine.Workflows;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FunAd.Bench;

/// <summary>
/// Feature-extraction throughput of FunAd's ResNet18 feature graph against the bare backbone ONNX
/// model in ONNX Runtime, in the same process, with the same session options and threads. The
/// contenders run interleaved, five rounds, best round each, so that load from elsewhere on the
/// machine hits them alike.
/// </summary>
public static class ThroughputBench
{
    private const int Rounds = 5;

    public static void Run(BenchOptions options)
    {
        var device = ComputeDevice.Resolve(DeviceChoice.Auto);
        var count = options.Images;
        Console.WriteLine($"# throughput: {count} images at 224x224, {device.Description}, best of {Rounds} interleaved rounds");
        var random = new Random(options.Seed);
        var tensors = new float[count * 3 * 224 * 224];
        for (var i = 0; i < tensors.Length; i++) tensors[i] = (float)random.NextDouble();
        // Generated 256x256 PNGs with a noise channel (the costliest kind to decode), or the user's own images.
        var folder = options.Folder ?? Path.Combine(options.Work, "throughput-images");
        if (options.Folder is null) WriteImages(folder, count, random);
        var sources = ImageFolder.Scan(folder).Take(count).ToList();
        if (sources.Count < count) throw new ArgumentException($"{folder} holds {sources.Count} images; --images asks for {count}.");
        Console.WriteLine($"# files: {sources.Count} from {folder}");

        var shipped = File.ReadAllBytes(Path.Combine(ResNet18FeatureGraph.DefaultModelDirectory, "ResNet18Onnx", "ResNet18.onnx"));
        using var bare = OnnxSessionFactory.Create(shipped, device);
        using var bareBatched = OnnxSessionFactory.Create(ThroughputProbe.BareBackbone(ResNet18FeatureGraph.Name), device);
        using var extractor = BackboneCatalog.Open("resnet18", device);
        var batch = extractor.PreferredBatchSize;
        var pipeline = new FeaturePipeline(extractor, new FeatureSettings(), cache: null, DecodeLimits.Default);

        // A FUN-AD model (one quick epoch: speed does not depend on how well it is trained), scored
        // through its exported graph exactly as `funad score --maps` does.
        var context = new EngineContext(device, null, DecodeLimits.Default);
        var modelFolder = Path.Combine(options.Work, "throughput-model");
        var request = new TrainRequest(sources, modelFolder, AnomalyMethod.FunAd, DetectionMode.Defect, "resnet18", new FeatureSettings(),
            new PatchCoreOptions(), FunAdProfiles.Get(FunAdProfiles.Fast, semantic: false) with { Epochs = 1 });
        TrainWorkflow.Run(context, request);
        using var model = ModelDirectory.Load(modelFolder, device);
        using var scorer = OnnxAnomalyScorer.Open(model, device);
        var scoring = new ScoringPipeline(scorer, new FeatureSettings(), DecodeLimits.Default);
        var scores = new float[scorer.PreferredBatchSize];
        var maps = new float[scorer.PreferredBatchSize * 224 * 224];
        var buffer = new float[scorer.PreferredBatchSize * 3 * 224 * 224];

        (string Name, Action Work)[] contenders =
        [
            ("bare ResNet18.onnx as shipped, batch 1", () => ThroughputProbe.RunBackbone(bare, tensors, count, 1, 224)),
            ("bare ResNet18.onnx, batch dim made symbolic, batch 16", () => ThroughputProbe.RunBackbone(bareBatched, tensors, count, 16, 224)),
            ("bare ResNet18.onnx, batch 16, from the same PNG files (decode, resize, run)", () => RunBackboneFromFiles(bareBatched, sources, 16)),
            ($"FunAd feature graph from tensors, batch {batch}", () => RunExtractor(extractor, tensors, count, batch)),
            ("FunAd pipeline from 256x256 PNG files (read, hash, decode, resize, extract; no cache)", () => pipeline.Run(sources)),
            ($"FUN-AD exported model, scores + 224x224 maps, from tensors, batch {scorer.PreferredBatchSize}", () => ThroughputProbe.RunModel(scorer, tensors, count, buffer, scores, maps)),
            ("FUN-AD exported model, scores + maps from PNG files (decode, resize, score)", () => ScoreFiles(scoring, sources)),
        ];
        var best = ThroughputProbe.BestSeconds(contenders.Select(c => c.Work).ToList(), Rounds);
        var bareBest = Math.Min(best[0], best[1]);
        for (var i = 0; i < contenders.Length; i++)
            Console.WriteLine($"{contenders[i].Name,-90} {count / best[i],7:F1} images/s  ratio to best bare {bareBest / best[i]:F2}");
        // End to end on both sides: the same files, the same decoding, the bare backbone against the full model.
        Console.WriteLine($"{"FUN-AD from files against the bare backbone from the same files",-90} {"",7}           ratio {best[2] / best[^1]:F2}");
    }

    /// <summary>The bare backbone fed exactly as the scoring pipeline feeds the model: the same decoder, the same batches.</summary>
    private static void RunBackboneFromFiles(Microsoft.ML.OnnxRuntime.InferenceSession session, IReadOnlyList<ImageSource> sources, int batch)
    {
        var decoder = new ImageBatchDecoder(sources, 224, batch, centerCrop: false, DecodeLimits.Default);
        for (var start = 0; start < sources.Count; start += batch)
        {
            var count = decoder.Decode(start, Math.Min(start + batch, sources.Count), e => throw e);
            ThroughputProbe.RunBackbone(session, decoder.Buffer, count, count, 224);
        }
    }

    /// <summary>Scores and maps handed to a consumer that reads them, as the app's scoring job does.</summary>
    private static void ScoreFiles(ScoringPipeline scoring, IReadOnlyList<ImageSource> sources)
    {
        var sum = 0f;
        scoring.Stream(sources, (in ScoredImageView image) => sum += image.Score + image.Map[^1]);
        if (float.IsNaN(sum)) throw new InvalidOperationException("NaN score");
    }

    private static void RunExtractor(IFeatureExtractor extractor, float[] tensors, int count, int batch)
    {
        const int length = 3 * 224 * 224;
        for (var start = 0; start < count; start += batch)
        {
            var n = Math.Min(batch, count - start);
            extractor.Extract(tensors[(start * length)..((start + n) * length)], n);
        }
    }

    private static void WriteImages(string folder, int count, Random random)
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);
        for (var i = 0; i < count; i++)
        {
            using var image = new Image<Rgb24>(256, 256);
            for (var y = 0; y < 256; y++)
            for (var x = 0; x < 256; x++)
                image[x, y] = new Rgb24((byte)(x ^ y ^ i), (byte)random.Next(256), (byte)(y + i));
            image.SaveAsPng(Path.Combine(folder, $"{i:0000}.png"));
        }
    }
}
