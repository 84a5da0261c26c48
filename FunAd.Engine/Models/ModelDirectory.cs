using System.Text.Json;
using FunAd.Engine.Devices;
using FunAd.Engine.MemoryBank;
using FunAd.Engine.Training;

namespace FunAd.Engine.Models;

/// <summary>
/// A trained model on disk: model.json plus its tensors as NumPy .npy files. The manifest is
/// written last, so a folder with a manifest is complete.
/// </summary>
public static class ModelDirectory
{
    public static void WriteManifest(string directory, ModelManifest manifest)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, ModelManifest.FileName);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(manifest, ModelManifest.Json));
        File.Move(temporary, path, overwrite: true);
    }

    public static ModelManifest ReadManifest(string directory)
    {
        var path = Path.Combine(directory, ModelManifest.FileName);
        if (!File.Exists(path)) throw new FileNotFoundException($"{directory}: not a FunAd model folder (no {ModelManifest.FileName}).", path);
        var manifest = JsonSerializer.Deserialize<ModelManifest>(File.ReadAllText(path), ModelManifest.Json)
                       ?? throw new InvalidDataException($"{path}: empty manifest.");
        if (manifest.Format > ModelManifest.CurrentFormat)
            throw new InvalidDataException($"{path}: model format {manifest.Format} is newer than this FunAd understands ({ModelManifest.CurrentFormat}).");
        return manifest;
    }

    public static IAnomalyModel Load(string directory, ComputeDevice device)
    {
        var manifest = ReadManifest(directory);
        return manifest.Method switch
        {
            AnomalyMethod.PatchCore or AnomalyMethod.FunAdBank => MemoryBankModel.Load(directory, manifest, device),
            AnomalyMethod.FunAd => FunAdModel.Load(directory, manifest, device),
            _ => throw new InvalidDataException($"{directory}: unknown method '{manifest.Method}'."),
        };
    }
}
