using System.Security.Cryptography;
using FunAd.Engine.Onnx;
using FunAd.Engine.Onnx.Format;

namespace FunAd.Engine.Backbones;

/// <summary>
/// A user-supplied transformer backbone (the paper's DINO ViT-B/8, for instance) that follows the
/// token contract of docs/backbones.md: input <c>image</c> float [N,3,S,S] RGB in 0..1 (any
/// normalisation inside the model), outputs <c>patch_tokens</c> [N,P,D] (P a square number, row-major
/// patch order) and <c>class_token</c> [N,D]. The patch tokens become the patch features and the
/// class token the global feature; a method that wants FUN-AD's concat(class token, patch token)
/// builds it from the two.
/// </summary>
public static class TokenFeatureGraph
{
    public const string PatchTokens = "patch_tokens";
    public const string ClassToken = "class_token";
    private const string RecipeVersion = "tokens-v1";

    public static FeatureGraph Load(string path)
    {
        var bytes = File.Exists(path) ? File.ReadAllBytes(path) : throw new FileNotFoundException($"{path}: backbone file not found.", path);
        var model = OnnxModelFile.Read(path);
        var graph = model.Graph;
        string Contract(string what) => $"{path}: {what}. A token backbone must take 'image' [N,3,S,S] and give 'patch_tokens' [N,P,D] and 'class_token' [N,D] (see docs/backbones.md).";

        var input = graph.Input.FirstOrDefault(i => i.Name == FeatureGraph.InputName) ?? throw new InvalidDataException(Contract("it has no input named 'image'"));
        if (graph.Output.All(o => o.Name != PatchTokens)) throw new InvalidDataException(Contract("it has no output named 'patch_tokens'"));
        if (graph.Output.All(o => o.Name != ClassToken)) throw new InvalidDataException(Contract("it has no output named 'class_token'"));
        var inputSize = InputSize(model, input) ?? throw new InvalidDataException(Contract("its input size is neither fixed in the 'image' shape nor given as metadata 'funad.input_size'"));

        graph.Output.Clear();
        var b = new OnnxGraphBuilder(graph, "funad");
        b.Output(PatchTokens, FeatureGraph.PatchOutput, "N", "P", "D");
        b.Output(ClassToken, FeatureGraph.GlobalOutput, "N", "G");

        var name = Path.GetFileNameWithoutExtension(path);
        var id = $"onnx-{Convert.ToHexStringLower(SHA256.HashData(bytes))[..16]}-{RecipeVersion}";
        var preprocessing = $"Resize the image to {inputSize}x{inputSize} RGB, scale to 0..1, pass as float [N,3,{inputSize},{inputSize}]; normalisation happens inside the backbone.";
        return new FeatureGraph(model, id, name, inputSize, preprocessing);
    }

    private static int? InputSize(ModelProto model, ValueInfoProto input)
    {
        var dims = input.Type?.TensorType?.Shape?.Dim;
        if (dims is { Count: 4 } && dims[2].DimValue > 0 && dims[2].DimValue == dims[3].DimValue) return (int)dims[2].DimValue;
        var entry = model.MetadataProps.FirstOrDefault(p => p.Key == "funad.input_size");
        return entry is not null && int.TryParse(entry.Value, out var size) && size > 0 ? size : null;
    }
}
