using FunAd.Engine.Backbones;
using FunAd.Engine.Devices;
using FunAd.Engine.Io;
using FunAd.Engine.Models;
using FunAd.Engine.Search;

namespace FunAd.Engine.Baselines.PatchCore;

/// <summary>
/// The memory-bank baseline: a patch's score is its L2 distance to the nearest feature in the
/// bank of training features; in semantic mode the bank holds global features, one per image.
/// </summary>
public sealed class PatchCoreModel : IAnomalyModel
{
    public const string MethodName = "patchcore";
    public const string BankFile = "memory_bank.npy";
    private readonly NearestNeighbourIndex _index;
    private readonly DetectionMode _mode;

    public PatchCoreModel(ModelManifest manifest, float[] bank, int dimension, ComputeDevice device)
    {
        Manifest = manifest;
        Bank = bank;
        _mode = DetectionModeParser.Parse(manifest.Mode);
        _index = new NearestNeighbourIndex(bank, dimension, device);
    }

    public ModelManifest Manifest { get; }
    public float[] Bank { get; }
    public int BankSize => _index.Count;
    public int Dimension => _index.Dimension;

    public float[] ScorePatches(ImageFeatures features) =>
        _index.NearestDistances(_mode == DetectionMode.Defect ? features.Patches : features.Global);

    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        NpyWriter.WriteFloat32(Path.Combine(directory, BankFile), Bank, BankSize, _index.Dimension);
        ModelDirectory.WriteManifest(directory, Manifest);
    }

    public static PatchCoreModel Load(string directory, ModelManifest manifest, ComputeDevice device)
    {
        var path = Path.Combine(directory, BankFile);
        if (!File.Exists(path)) throw new FileNotFoundException($"{directory}: the memory bank {BankFile} is missing.", path);
        var (data, shape) = NpyReader.ReadFloat32(path);
        if (shape.Length != 2) throw new InvalidDataException($"{path}: expected a 2-D memory bank, got {shape.Length} dimensions.");
        return new PatchCoreModel(manifest, data, shape[1], device);
    }

    public void Dispose() => _index.Dispose();
}
