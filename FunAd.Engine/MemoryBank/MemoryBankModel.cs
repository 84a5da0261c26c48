using System.Text.Json;
using FunAd.Engine.Backbones;
using FunAd.Engine.Devices;
using FunAd.Engine.FunAdBank;
using FunAd.Engine.Io;
using FunAd.Engine.Models;
using FunAd.Engine.Scoring;
using FunAd.Engine.Search;
using FunAd.Engine.Training;
using TorchSharp;

namespace FunAd.Engine.MemoryBank;

/// <summary>
/// A model that scores by distance to a memory bank of training features: in defect mode each patch
/// against patch features (a map), in semantic mode the image's global feature against global
/// features. PatchCore's bank holds every training image; FUN-AD-cleaned banks (funad-bank) hold what
/// FUN-AD judged normal. How a row is scored (<see cref="BankMetric"/>, k) is in model.json; which
/// training image each row came from is in <see cref="BankImages.File"/>, so a training image can be
/// scored without its own rows (<see cref="ScorePatches(ImageFeatures, int)"/>). A funad-bank model may also keep FUN-AD's
/// Local-Net (<see cref="FunAdHead"/>, its weights beside the bank) and mix its patch scores into the bank's
/// (<see cref="FunAdMapBlend"/>, recorded in model.json).
/// </summary>
public sealed class MemoryBankModel : IAnomalyModel
{
    public const string BankFile = "memory_bank.npy";
    public const string MetricSetting = "metric";
    public const string KSetting = "k";
    private readonly NearestNeighbourIndex _index;
    private readonly DetectionMode _mode;
    private readonly TorchSharp.torch.Tensor? _owners;
    private readonly ComputeDevice _device;

    /// <param name="funAdHead">FUN-AD's model, owned from here on; required when the manifest records a <see cref="FunAdMapBlend"/>.</param>
    public MemoryBankModel(ModelManifest manifest, float[] bank, int dimension, ComputeDevice device, BankImages? images = null, FunAdModel? funAdHead = null)
    {
        Blend = FunAdMapBlend.ReadFrom(manifest);
        if (Blend is not null && funAdHead is null)
            throw new ArgumentException("The model mixes FUN-AD's patch scores into the bank's, but no FUN-AD model was given.", nameof(funAdHead));
        if (Blend is null && funAdHead is not null)
            throw new ArgumentException("A FUN-AD model was given, but the manifest records no blend of its scores.", nameof(funAdHead));
        FunAdHead = funAdHead;
        Manifest = manifest;
        _mode = DetectionModeParser.Parse(manifest.Mode);
        Metric = BankMetricNames.Parse(manifest.Settings.TryGetValue(MetricSetting, out var metric) ? metric.GetString() : null);
        K = manifest.Settings.TryGetValue(KSetting, out var k) ? k.GetInt32() : 1;
        _index = new NearestNeighbourIndex(bank, dimension, device, Metric, K);
        // Cosine banks are kept as the index normalised them, so the exported graph holds the rows it searches.
        Bank = Metric == BankMetric.Cosine ? _index.Rows() : bank;
        if (images is not null && images.RowOwners.Length != _index.Count)
            throw new ArgumentException($"The bank has {_index.Count} rows but {images.RowOwners.Length} row owners.", nameof(images));
        Images = images;
        _device = device;
        if (images is not null) _owners = TorchSharp.torch.tensor(images.RowOwners.Select(o => (long)o).ToArray(), device: device.TorchDevice);
    }

    /// <summary>The training image of each bank row, or null (a model saved before owners were kept).</summary>
    public BankImages? Images { get; }

    /// <summary>How FUN-AD's patch scores are mixed into the bank's, or null (the bank's distances alone).</summary>
    public FunAdMapBlend? Blend { get; }

    /// <summary>FUN-AD's Local-Net whose patch scores <see cref="Blend"/> mixes in; null without a blend.</summary>
    public FunAdModel? FunAdHead { get; }

    public ModelManifest Manifest { get; }
    public float[] Bank { get; }
    public int BankSize => _index.Count;
    public int Dimension => _index.Dimension;
    public BankMetric Metric { get; }
    public int K { get; }

    public float[] ScorePatches(ImageFeatures features) => ScorePatches(features, -1);

    /// <summary>
    /// The scores with the bank rows of training image <paramref name="excludedImage"/> (an index into
    /// <see cref="Images"/>) left out; -1 leaves nothing out.
    /// </summary>
    public float[] ScorePatches(ImageFeatures features, int excludedImage)
    {
        var distances = BankScores(features, excludedImage);
        return Blend is null ? distances : Blend.Combine(distances, FunAdHead!.ScorePatches(features));
    }

    private float[] BankScores(ImageFeatures features, int excludedImage)
    {
        var rows = _mode == DetectionMode.Defect ? features.Patches : features.Global;
        if (excludedImage < 0 || _owners is null) return _index.Scores(rows);
        using var scope = TorchSharp.torch.NewDisposeScope();
        var queries = TorchSharp.torch.tensor(rows, [rows.Length / Dimension, Dimension], device: _device.TorchDevice);
        using var image = ((long)excludedImage).ToScalar();
        return _index.Scores(queries, _owners.eq(image)).cpu().data<float>().ToArray();
    }

    /// <summary>The settings a bank's manifest carries for its scoring (in defect mode the image score is the map's largest value).</summary>
    public static Dictionary<string, JsonElement> ScoringSettings(BankMetric metric, int k, int bankSize, DetectionMode mode)
    {
        var settings = new Dictionary<string, JsonElement>
        {
            [MetricSetting] = JsonSerializer.SerializeToElement(metric.Name()),
            [KSetting] = JsonSerializer.SerializeToElement(k),
            ["bankSize"] = JsonSerializer.SerializeToElement(bankSize),
        };
        if (mode == DetectionMode.Defect) settings[ImageScore.Setting] = JsonSerializer.SerializeToElement(ImageScore.MapMax);
        return settings;
    }

    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        NpyWriter.WriteFloat32(Path.Combine(directory, BankFile), Bank, BankSize, _index.Dimension);
        Images?.Save(directory);
        FunAdHead?.SaveWeights(directory);
        ModelDirectory.WriteManifest(directory, Manifest);
    }

    public static MemoryBankModel Load(string directory, ModelManifest manifest, ComputeDevice device)
    {
        var path = Path.Combine(directory, BankFile);
        if (!File.Exists(path)) throw new FileNotFoundException($"{directory}: the memory bank {BankFile} is missing.", path);
        var (data, shape) = NpyReader.ReadFloat32(path);
        if (shape.Length != 2) throw new InvalidDataException($"{path}: expected a 2-D memory bank, got {shape.Length} dimensions.");
        var head = FunAdMapBlend.ReadFrom(manifest) is null ? null : FunAdModel.Load(directory, manifest, device);
        try
        {
            return new MemoryBankModel(manifest, data, shape[1], device, BankImages.Load(directory, shape[0]), head);
        }
        catch
        {
            head?.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _index.Dispose();
        _owners?.Dispose();
        FunAdHead?.Dispose();
    }
}
