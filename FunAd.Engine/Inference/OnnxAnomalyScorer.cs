using FunAd.Engine.Devices;
using FunAd.Engine.Export;
using FunAd.Engine.Models;
using FunAd.Engine.Onnx;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;

namespace FunAd.Engine.Inference;

/// <summary>
/// Runs an exported FunAd model with ONNX Runtime (CUDA provider on a CUDA device, else the CPU):
/// the app's one inference path, identical to what a user runs on the exported file. Outputs are
/// written into the caller's buffers, so the hot path allocates nothing per image.
/// </summary>
public sealed class OnnxAnomalyScorer : IDisposable
{
    private readonly OnnxSession _session;

    private OnnxAnomalyScorer(OnnxSession session, int inputSize, int batchSize)
    {
        _session = session;
        InputSize = inputSize;
        PreferredBatchSize = batchSize;
    }

    public int InputSize { get; }
    public int PreferredBatchSize { get; }

    public static OnnxAnomalyScorer Open(IAnomalyModel model, ComputeDevice device) =>
        Open(ModelExporter.Build(model).ToByteArray(), model.Manifest.Backbone.InputSize, device);

    public static OnnxAnomalyScorer Open(byte[] exported, int inputSize, ComputeDevice device) =>
        new(new OnnxSession(exported, device, ExportContract.Input, ExportContract.Score, ExportContract.Map), inputSize, device.IsCuda ? 64 : 16);

    /// <summary>
    /// Scores <paramref name="count"/> images (CHW floats, RGB 0..1, InputSize square, one after the
    /// other in <paramref name="batch"/>); writes count scores and count maps of InputSize x InputSize.
    /// </summary>
    public void Score(float[] batch, int count, float[] scores, float[] maps)
    {
        var plane = InputSize * InputSize;
        if (batch.Length < count * 3 * plane || scores.Length < count || maps.Length < count * plane)
            throw new ArgumentException($"Buffers too small for {count} images of {InputSize}x{InputSize}.");
        using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, batch.AsMemory(0, count * 3 * plane), [count, 3, InputSize, InputSize]);
        using var score = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, scores.AsMemory(0, count), [count]);
        using var map = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, maps.AsMemory(0, count * plane), [count, 1, InputSize, InputSize]);
        _session.Run(input, [score, map]);
    }

    public void Dispose() => _session.Dispose();
}
