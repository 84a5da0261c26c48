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

        (string Name, Action Work)[] contenders =
        [
            ($"bare backbone ({model.Manifest.Backbone.Name}), batch {batch}", () => RunBackbone(backbone, tensors, images, batch, size)),
            ($"exported {model.Manifest.Method} model, scores + {size}x{size} maps, batch {batch}", () => RunModel(scorer, tensors, images, buffer, scores, maps)),
        ];
        var best = BestSeconds(contenders.Select(c => c.Work).ToList(), rounds);
        return contenders.Select((c, i) => new ThroughputFigure(c.Name, images / best[i], best[0] / best[i])).ToList();
    }

    /// <summary>
    /// Runs each contender once to warm up, then all of them in turn for the given rounds, and returns
    /// each one's best time in seconds: interleaving makes other load on the machine hit all alike.
    /// </summary>
    public static double[] BestSeconds(IReadOnlyList<Action> contenders, int rounds)
    {
        var best = new double[contenders.Count];
        Array.Fill(best, double.MaxValue);
        foreach (var work in contenders) work();
        for (var round = 0; round < rounds; round++)
            for (var i = 0; i < contenders.Count; i++)
            {
                var watch = Stopwatch.StartNew();
                contenders[i]();
                best[i] = Math.Min(best[i], watch.Elapsed.TotalSeconds);
            }
        return best;
    }

    /// <summary>A plain session over <paramref name="count"/> images of size x size in batches, first output only.</summary>
    public static void RunBackbone(InferenceSession session, float[] tensors, int count, int batch, int size)
    {
        var plane = 3 * size * size;
        var input = session.InputMetadata.Keys.Single();
        var output = session.OutputMetadata.Keys.First();
        // Kept alive across the calls (see OnnxFeatureExtractor: an inline RunOptions can be freed mid-run).
        using var runOptions = new RunOptions();
        for (var start = 0; start < count; start += batch)
        {
            var n = Math.Min(batch, count - start);
            using var value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, tensors.AsMemory(start * plane, n * plane), [n, 3, size, size]);
            using var _ = session.Run(runOptions, [input], [value], [output]);
        }
    }

    /// <summary>The exported model over <paramref name="count"/> images through the caller's reused buffers, as the app scores.</summary>
    public static void RunModel(OnnxAnomalyScorer scorer, float[] tensors, int count, float[] buffer, float[] scores, float[] maps)
    {
        var plane = 3 * scorer.InputSize * scorer.InputSize;
        var batch = scorer.PreferredBatchSize;
        for (var start = 0; start < count; start += batch)
        {
            var n = Math.Min(batch, count - start);
            Array.Copy(tensors, start * plane, buffer, 0, n * plane);
            scorer.Score(buffer, n, scores, maps);
        }
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
