using System.Text.Json;
using FunAd.Engine.Backbones;
using FunAd.Engine.Devices;
using FunAd.Engine.Io;
using FunAd.Engine.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace FunAd.Engine.Training;

/// <summary>
/// A trained FUN-AD model: the Local-Net's weights (one .npy per named parameter under weights/)
/// and the feature layout it was trained on. A patch's score is the discriminator's output in (0, 1).
/// </summary>
public sealed class FunAdModel : IAnomalyModel
{
    public const string WeightsFolder = "weights";
    private readonly LocalNet _net;
    private readonly ComputeDevice _device;

    public FunAdModel(ModelManifest manifest, LocalNet net, PatchFeatureLayout layout, ComputeDevice device)
    {
        Manifest = manifest;
        Layout = layout;
        _net = net;
        _device = device;
        _net.eval();
    }

    public ModelManifest Manifest { get; }
    public PatchFeatureLayout Layout { get; }

    public float[] ScorePatches(ImageFeatures features)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var rows = tensor(Layout.Pack([features]), [Layout.Rows, Layout.Dimension], device: _device.TorchDevice);
        return _net.forward(rows).cpu().data<float>().ToArray();
    }

    /// <summary>The Local-Net's parameters by name, as plain arrays with their shapes (for export).</summary>
    public IReadOnlyDictionary<string, (float[] Values, long[] Shape)> Weights() =>
        _net.named_parameters().ToDictionary(p => p.name, p => HostCopy.Of(p.parameter));

    public void Save(string directory)
    {
        SaveWeights(directory);
        ModelDirectory.WriteManifest(directory, Manifest);
    }

    /// <summary>The Local-Net's weights alone, under <see cref="WeightsFolder"/> (a funad-bank model keeps them beside its bank).</summary>
    public void SaveWeights(string directory)
    {
        var weights = Path.Combine(directory, WeightsFolder);
        Directory.CreateDirectory(weights);
        foreach (var (name, parameter) in _net.named_parameters())
        {
            var (values, shape) = HostCopy.Of(parameter);
            NpyWriter.WriteFloat32(Path.Combine(weights, name + ".npy"), values, shape.Select(d => (int)d).ToArray());
        }
    }

    public static FunAdModel Load(string directory, ModelManifest manifest, ComputeDevice device)
    {
        var layout = LayoutOf(manifest);
        var net = new LocalNet(layout.Dimension);
        using (no_grad())
        {
            foreach (var (name, parameter) in net.named_parameters())
            {
                var path = Path.Combine(directory, WeightsFolder, name + ".npy");
                if (!File.Exists(path)) throw new FileNotFoundException($"{directory}: the weight file {WeightsFolder}/{name}.npy is missing.", path);
                var (data, shape) = NpyReader.ReadFloat32(path);
                if (!shape.Select(d => (long)d).SequenceEqual(parameter.shape))
                    throw new InvalidDataException($"{path}: shape [{string.Join(",", shape)}] does not match the Local-Net's [{string.Join(",", parameter.shape)}].");
                using var saved = tensor(data, parameter.shape);
                parameter.copy_(saved);
            }
        }
        net.to(device.TorchDevice);
        return new FunAdModel(manifest, net, layout, device);
    }

    public static PatchFeatureLayout LayoutOf(ModelManifest manifest)
    {
        var concat = manifest.Settings.TryGetValue("concatGlobal", out var value) && value.ValueKind == JsonValueKind.True;
        var b = manifest.Backbone;
        return new PatchFeatureLayout(DetectionModeParser.Parse(manifest.Mode), concat, b.Grid, b.PatchDim, b.GlobalDim);
    }

    public void Dispose() => _net.Dispose();
}
