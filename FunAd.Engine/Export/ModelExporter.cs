using System.Globalization;
using System.Reflection;
using FunAd.Engine.Backbones;
using FunAd.Engine.FunAdBank;
using FunAd.Engine.MemoryBank;
using FunAd.Engine.Models;
using FunAd.Engine.Onnx;
using FunAd.Engine.Onnx.Format;
using FunAd.Engine.Scoring;
using FunAd.Engine.Training;
using Google.Protobuf;

namespace FunAd.Engine.Export;

/// <summary>
/// Builds the one-file ONNX model of a trained model: the backbone's feature graph, the method's head,
/// the image score (the largest patch score, or the map's largest value: <see cref="ImageScore"/>) and the pixel map, with standard operators only, a dynamic batch
/// dimension and the contract's metadata. ONNX Runtime runs it with no custom operators.
/// </summary>
public static class ModelExporter
{
    private const long MinimumOpset = 13;

    public static ModelProto Build(IAnomalyModel model)
    {
        var manifest = model.Manifest;
        var features = BackboneCatalog.LoadGraphOf(manifest.Backbone.Spec, manifest.Backbone.Id);
        var onnx = features.Model;
        var opset = OnnxModelFile.DefaultOpset(onnx);
        if (opset < MinimumOpset)
            throw new InvalidDataException($"The backbone '{manifest.Backbone.Spec}' uses ONNX opset {opset}; export needs opset {MinimumOpset} or later (re-export the backbone with a newer opset).");
        var graph = onnx.Graph;
        graph.Output.Clear();
        var b = new OnnxGraphBuilder(graph, "funad/head");

        var grid = model switch
        {
            FunAdModel funAd => FunAdHeadGraph.Append(b, funAd),
            MemoryBankModel { Blend: { } blend, FunAdHead: { } head } bank =>
                BlendedHead(b, blend, MemoryBankHeadGraph.Append(b, bank, opset, onnx.IrVersion), FunAdHeadGraph.Append(b, head)),
            MemoryBankModel bank => MemoryBankHeadGraph.Append(b, bank, opset, onnx.IrVersion),
            _ => throw new NotSupportedException($"Export of method '{manifest.Method}' is not supported."),
        };
        var size = features.InputSize;
        var map = DetectionModeParser.Parse(manifest.Mode) == DetectionMode.Defect
            ? AnomalyMapGraph.Append(b, grid, manifest.Backbone.Grid, size)
            // One score per image: the map is that score everywhere, so the contract holds in both modes.
            : b.Node("Mul", [grid, b.Constant(Enumerable.Repeat(1f, size * size).ToArray(), 1, 1, size, size)]);
        var imageScore = ImageScore.RuleOf(manifest);
        var scored = imageScore == ImageScore.MapMax ? map : grid;
        b.Output(b.Reduce("ReduceMax", scored, [1, 2, 3], keepDims: false, opset), ExportContract.Score, "N");
        b.Output(map, ExportContract.Map, "N", 1, size, size);
        OnnxGraphPruner.Prune(graph);

        onnx.ProducerName = "FunAd";
        onnx.ProducerVersion = Version;
        onnx.DocString = $"FunAd {manifest.Method} model ({manifest.Mode}) on {manifest.Backbone.Name}, trained on {manifest.TrainingImages} images.";
        onnx.MetadataProps.Clear();
        void Meta(string key, string value) => onnx.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        Meta(ExportContract.VersionKey, Version);
        Meta(ExportContract.BackboneKey, $"{manifest.Backbone.Name} ({manifest.Backbone.Id})");
        Meta(ExportContract.ModeKey, manifest.Mode);
        Meta(ExportContract.MethodKey, manifest.Method);
        Meta(ExportContract.InputSizeKey, size.ToString(CultureInfo.InvariantCulture));
        Meta(ExportContract.ThresholdKey, manifest.Threshold?.ToString("R", CultureInfo.InvariantCulture) ?? "");
        if (model is MemoryBankModel { Images: { } images } && graph.Input.Any(i => i.Name == ExportContract.ExcludeImage))
            Meta(ExportContract.BankImagesKey, string.Join(',', images.Hashes));
        Meta(ExportContract.PreprocessingKey,
            (manifest.CenterCrop
                ? $"Resize the shorter side of the image to {size * 256 / 224} pixels and crop the central {size}x{size} square"
                : $"Resize the whole image to {size}x{size} pixels (bilinear, aspect ratio not kept)")
            + $", as RGB scaled to 0..1, layout [N,3,{size},{size}]. pred_score is {(imageScore == ImageScore.MapMax ? "the largest value of anomaly_map" : "the largest patch score")} (threshold: {(manifest.Threshold is { } t ? t.ToString("G4", CultureInfo.InvariantCulture) : "none given")}); anomaly_map is [N,1,{size},{size}]; resize it back to the image's size to overlay it.");
        return onnx;
    }

    /// <summary>The two patch-score grids mixed as <see cref="FunAdMapBlend.Combine(float, float)"/> does: a x bank + c x FUN-AD + d.</summary>
    private static string BlendedHead(OnnxGraphBuilder b, FunAdMapBlend blend, string bankGrid, string funAdGrid) =>
        b.Node("Add", [
            b.Node("Add", [b.Node("Mul", [bankGrid, b.Constant([blend.BankCoefficient])]), b.Node("Mul", [funAdGrid, b.Constant([blend.FunAdCoefficient])])]),
            b.Constant([blend.Offset])]);

    public static void Export(IAnomalyModel model, string path)
    {
        var bytes = Build(model).ToByteArray();
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, bytes);
        File.Move(temporary, path, overwrite: true);
    }

    public static string Version { get; } =
        typeof(ModelExporter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
