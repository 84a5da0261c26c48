using FunAd.Engine.Devices;

namespace FunAd.Engine.Backbones;

/// <summary>Turns a user's backbone choice ("resnet18" or a path to a token-contract .onnx file) into an extractor.</summary>
public static class BackboneCatalog
{
    public const string Default = ResNet18FeatureGraph.Name;

    public static FeatureGraph LoadGraph(string spec) =>
        string.Equals(spec, ResNet18FeatureGraph.Name, StringComparison.OrdinalIgnoreCase)
            ? ResNet18FeatureGraph.Load()
            : spec.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase)
                ? TokenFeatureGraph.Load(spec)
                : throw new ArgumentException($"Unknown backbone '{spec}': use '{ResNet18FeatureGraph.Name}' or the path of an .onnx file that follows the token contract.");

    public static IFeatureExtractor Open(string spec, ComputeDevice device) => OnnxFeatureExtractor.Open(LoadGraph(spec), device);
}
