using FunAd.Engine.Devices;
using FunAd.Engine.Onnx;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;

namespace FunAd.Engine.Backbones;

/// <summary>Runs a <see cref="FeatureGraph"/> with ONNX Runtime.</summary>
public sealed class OnnxFeatureExtractor : IFeatureExtractor
{
    private readonly OnnxSession _session;

    private OnnxFeatureExtractor(OnnxSession session, BackboneInfo info, int batchSize)
    {
        _session = session;
        Info = info;
        PreferredBatchSize = batchSize;
    }

    public BackboneInfo Info { get; }
    public int PreferredBatchSize { get; }

    /// <summary>Opens the graph and learns its grid and feature sizes from one forward pass.</summary>
    public static OnnxFeatureExtractor Open(FeatureGraph graph, ComputeDevice device)
    {
        var session = new OnnxSession(graph.Model.ToByteArray(), device, FeatureGraph.InputName, FeatureGraph.PatchOutput, FeatureGraph.GlobalOutput);
        try
        {
            var size = graph.InputSize;
            var (patchShape, globalShape) = Probe(session, size);
            var grid = (int)Math.Round(Math.Sqrt(patchShape[1]));
            if (grid * grid != patchShape[1])
                throw new InvalidDataException($"{graph.Name}: {patchShape[1]} patches do not form a square grid.");
            var info = new BackboneInfo(graph.Id, graph.Name, size, grid, (int)patchShape[2], (int)globalShape[1], graph.Preprocessing);
            return new OnnxFeatureExtractor(session, info, device.IsCuda ? 64 : 16);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public IReadOnlyList<ImageFeatures> Extract(float[] batch, int count)
    {
        var size = Info.InputSize;
        if (batch.Length < count * 3 * size * size)
            throw new ArgumentException($"Expected {count} images of 3x{size}x{size} floats.", nameof(batch));
        using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, batch.AsMemory(0, count * 3 * size * size), [count, 3, size, size]);
        using var outputs = _session.Run(input);
        var patches = outputs[0].GetTensorDataAsSpan<float>();
        var globals = outputs[1].GetTensorDataAsSpan<float>();
        var patchLength = Info.PatchCount * Info.PatchDim;
        var result = new ImageFeatures[count];
        for (var i = 0; i < count; i++)
            result[i] = new ImageFeatures(
                patches.Slice(i * patchLength, patchLength).ToArray(),
                globals.Slice(i * Info.GlobalDim, Info.GlobalDim).ToArray());
        return result;
    }

    public void Dispose() => _session.Dispose();

    private static (long[] Patch, long[] Global) Probe(OnnxSession session, int size)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(new float[3 * size * size], [1, 3, size, size]);
        using var outputs = session.Run(input);
        var patch = outputs[0].GetTensorTypeAndShape().Shape;
        var global = outputs[1].GetTensorTypeAndShape().Shape;
        if (patch.Length != 3 || global.Length != 2)
            throw new InvalidDataException($"Feature outputs have shapes [{string.Join(",", patch)}] and [{string.Join(",", global)}]; expected [N,P,D] and [N,G].");
        return (patch, global);
    }
}
