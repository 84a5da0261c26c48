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
    private readonly Dictionary<string, int>? _bankImages;
    private long[] _excluded;

    private OnnxAnomalyScorer(OnnxSession session, int inputSize, int batchSize)
    {
        _session = session;
        InputSize = inputSize;
        PreferredBatchSize = batchSize;
        _excluded = new long[batchSize];
        if (session.HasOptionalInput(ExportContract.ExcludeImage) && session.Metadata(ExportContract.BankImagesKey) is { Length: > 0 } hashes)
        {
            _bankImages = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var (hash, index) in hashes.Split(',').Select((h, i) => (h, i))) _bankImages.TryAdd(hash, index);
        }
    }

    public int InputSize { get; }
    public int PreferredBatchSize { get; }

    /// <summary>
    /// Whether the model is a memory bank that knows its training images: then <see cref="TrainingImageOf"/>
    /// tells a training image by its content hash, and <see cref="Score"/> scores it without its own rows.
    /// </summary>
    public bool KnowsTrainingImages => _bankImages is not null;

    /// <summary>The training image index of a file with this content hash (SHA-256, hex), or -1 for a new image.</summary>
    public int TrainingImageOf(string contentHash) => _bankImages?.GetValueOrDefault(contentHash, -1) ?? -1;

    public static OnnxAnomalyScorer Open(IAnomalyModel model, ComputeDevice device) =>
        Open(ModelExporter.Build(model).ToByteArray(), model.Manifest.Backbone.InputSize, device);

    public static OnnxAnomalyScorer Open(byte[] exported, int inputSize, ComputeDevice device) =>
        new(new OnnxSession(exported, device, ExportContract.Input, ExportContract.Score, ExportContract.Map), inputSize, device.IsCuda ? 64 : 16);

    /// <summary>
    /// Scores <paramref name="count"/> images (CHW floats, RGB 0..1, InputSize square, one after the
    /// other in <paramref name="batch"/>); writes count scores and count maps of InputSize x InputSize.
    /// <paramref name="trainingImages"/> (when the model <see cref="KnowsTrainingImages"/>) gives each
    /// image's <see cref="TrainingImageOf"/>, so training images are scored without their own bank rows.
    /// </summary>
    public void Score(float[] batch, int count, float[] scores, float[] maps, ReadOnlySpan<int> trainingImages = default)
    {
        var plane = InputSize * InputSize;
        if (batch.Length < count * 3 * plane || scores.Length < count || maps.Length < count * plane)
            throw new ArgumentException($"Buffers too small for {count} images of {InputSize}x{InputSize}.");
        using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, batch.AsMemory(0, count * 3 * plane), [count, 3, InputSize, InputSize]);
        using var score = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, scores.AsMemory(0, count), [count]);
        using var map = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, maps.AsMemory(0, count * plane), [count, 1, InputSize, InputSize]);
        if (_bankImages is null || trainingImages.IsEmpty)
        {
            _session.Run(input, [score, map]);
            return;
        }
        if (trainingImages.Length < count) throw new ArgumentException($"Expected the training image of each of the {count} images.", nameof(trainingImages));
        if (_excluded.Length < count) _excluded = new long[count];
        for (var i = 0; i < count; i++) _excluded[i] = trainingImages[i];
        using var excluded = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _excluded.AsMemory(0, count), [count]);
        _session.Run(input, ExportContract.ExcludeImage, excluded, [score, map]);
    }

    public void Dispose() => _session.Dispose();
}
