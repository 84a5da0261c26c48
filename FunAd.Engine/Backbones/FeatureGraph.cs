using FunAd.Engine.Onnx.Format;

namespace FunAd.Engine.Backbones;

/// <summary>
/// An ONNX graph in FunAd's feature form: input <c>image</c> float [N,3,S,S] RGB in 0..1, outputs
/// <c>patch_features</c> [N,P,D] and <c>global_features</c> [N,G]. Every backbone is turned into
/// this form, so one extractor runs them all and the exported model can embed it unchanged.
/// </summary>
public sealed record FeatureGraph(ModelProto Model, string Id, string Name, int InputSize, string Preprocessing)
{
    public const string InputName = "image";
    public const string PatchOutput = "patch_features";
    public const string GlobalOutput = "global_features";
}
