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

    /// <summary>The feature graph a model was trained on, refused when its weights or recipe changed since.</summary>
    public static FeatureGraph LoadGraphOf(string spec, string expectedId)
    {
        var graph = LoadGraph(spec);
        return graph.Id == expectedId
            ? graph
            : throw new InvalidDataException($"The model was trained on backbone {expectedId}, but '{spec}' is now {graph.Id}; retrain or restore the original backbone file.");
    }
}
