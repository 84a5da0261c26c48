using System.Diagnostics;
using FunAd.Engine.Backbones;
using FunAd.Engine.Devices;
using FunAd.Engine.Models;
using FunAd.Engine.Onnx;
using FunAd.Engine.Onnx.Format;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;

namespace FunAd.Engine.Inference;

/// <summary>One contender's speed.</summary>
public sealed record ThroughputFigure(string Name, double ImagesPerSecond, double RatioToBackbone);

/// <summary>
/// How fast a trained model scores (scores and maps, through its exported graph) beside its bare
/// backbone run alone in ONNX Runtime, in the same process on the same device, interleaved over
/// several rounds (best round each) so that other load hits both alike.
/// </summary>
public static class ThroughputProbe
{
    public static IReadOnlyList<ThroughputFigure> Measure(IAnomalyModel model, ComputeDevice device, int images = 64, int rounds = 5, int seed = 0)
    {
        var size = model.Manifest.Backbone.InputSize;
        var plane = 3 * size * size;
        var random = new Random(seed);
        var tensors = new float[images * plane];
        for (var i = 0; i < tensors.Length; i++) tensors[i] = (float)random.NextDouble();

        using var scorer = OnnxAnomalyScorer.Open(model, device);
        using var backbone = OnnxSessionFactory.Create(BareBackbone(model.Manifest.Backbone.Spec), device);
        var batch = scorer.PreferredBatchSize;
        var buffer = new float[batch * plane];
        var scores = new float[batch];
        var maps = new float[batch * size * size];
        var backboneInput = backbone.InputMetadata.Keys.Single();
        var backboneOutput = backbone.OutputMetadata.Keys.First();

        void RunBackbone()
        {
            for (var start = 0; start < images; start += batch)
            {
                var n = Math.Min(batch, images - start);
                using var value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, tensors.AsMemory(start * plane, n * plane), [n, 3, size, size]);
                using var _ = backbone.Run(new RunOptions(), [backboneInput], [value], [backboneOutput]);
            }
        }

        void RunModel()
        {
            for (var start = 0; start < images; start += batch)
            {
                var n = Math.Min(batch, images - start);
                Array.Copy(tensors, start * plane, buffer, 0, n * plane);
                scorer.Score(buffer, n, scores, maps);
            }
        }

        (string Name, Action Work)[] contenders =
        [
            ($"bare backbone ({model.Manifest.Backbone.Name}), batch {batch}", RunBackbone),
            ($"exported {model.Manifest.Method} model, scores + {size}x{size} maps, batch {batch}", RunModel),
        ];
        var best = new double[contenders.Length];
        Array.Fill(best, double.MaxValue);
        foreach (var (_, work) in contenders) work(); // warm-up
        for (var round = 0; round < rounds; round++)
            for (var i = 0; i < contenders.Length; i++)
            {
                var watch = Stopwatch.StartNew();
                contenders[i].Work();
                best[i] = Math.Min(best[i], watch.Elapsed.TotalSeconds);
            }
        return contenders.Select((c, i) => new ThroughputFigure(c.Name, images / best[i], best[0] / best[i])).ToList();
    }

    /// <summary>The backbone as its author shipped it, only with a free batch dimension: what "bare" means here.</summary>
    public static byte[] BareBackbone(string spec)
    {
        if (!string.Equals(spec, ResNet18FeatureGraph.Name, StringComparison.OrdinalIgnoreCase)) return File.ReadAllBytes(spec);
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(ResNet18FeatureGraph.DefaultModelDirectory, "ResNet18Onnx", "ResNet18.onnx")));
        model.Graph.ValueInfo.Clear();
        foreach (var value in model.Graph.Input.Concat(model.Graph.Output))
            value.Type.TensorType.Shape.Dim[0] = new TensorShapeProto.Types.Dimension { DimParam = "N" };
        return model.ToByteArray();
    }
}
