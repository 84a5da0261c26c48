using System.Security.Cryptography;
using FunAd.Engine.Onnx;
using FunAd.Engine.Onnx.Format;
using static FunAd.Engine.Onnx.OnnxGraphBuilder;

namespace FunAd.Engine.Backbones;

/// <summary>
/// The built-in backbone: the ImageNet ResNet18 that ships as ONNX in
/// Microsoft.ML.DnnImageFeaturizer.ResNet18, edited into FunAd's feature form. Patch features
/// follow PatchCore: stage 2 (128 x 28 x 28) and stage 3 (256 x 14 x 14), each averaged over 3x3
/// neighbourhoods, stage 3 upsampled bilinearly to 28 x 28, concatenated (384 dims). The global
/// feature is the network's pooled 512-d vector.
/// </summary>
public static class ResNet18FeatureGraph
{
    public const string Name = "resnet18";
    public const int InputSize = 224;

    /// <summary>Bumped whenever the feature recipe below changes, so cached features are not reused.</summary>
    private const string RecipeVersion = "patchcore-l2l3-v1";

    private const string Stage2 = "ReLU315_Output_0";
    private const string Stage3 = "ReLU347_Output_0";
    private const string PooledOutput = "Pooling395_Output_0";
    private const string OriginalInput = "Input247";

    public static string DefaultModelDirectory => Path.Combine(AppContext.BaseDirectory, "DnnImageModels");

    public static FeatureGraph Load(string? modelDirectory = null)
    {
        var directory = modelDirectory ?? DefaultModelDirectory;
        var networkPath = Path.Combine(directory, "ResNet18Onnx", "ResNet18.onnx");
        var preprocessPath = Path.Combine(directory, "ResNetPrepOnnx", "ResNetPreprocess.onnx");
        var networkBytes = File.Exists(networkPath)
            ? File.ReadAllBytes(networkPath)
            : throw new FileNotFoundException($"{networkPath}: the built-in ResNet18 backbone is missing; rebuild the application so the Microsoft.ML.DnnImageFeaturizer.ResNet18 package copies it.", networkPath);
        var network = ModelProto.Parser.ParseFrom(networkBytes);
        var meanImage = OnnxModelFile.Read(preprocessPath).Graph.Initializer.Single(t => t.Name == "MeanImage");

        Rewrite(network, meanImage);
        var id = $"{Name}-{Convert.ToHexStringLower(SHA256.HashData(networkBytes))[..16]}-{RecipeVersion}";
        const string preprocessing =
            "Resize the image to 224x224 RGB, scale to 0..1, pass as float [N,3,224,224]; inside, it is scaled to 0..255, reordered to BGR and the ImageNet mean image is subtracted.";
        return new FeatureGraph(network, id, Name, InputSize, preprocessing);
    }

    private static void Rewrite(ModelProto model, TensorProto bgrMeanImage)
    {
        var graph = model.Graph;
        // Shapes recorded for batch 1 would contradict a symbolic batch; ONNX Runtime infers them again.
        graph.ValueInfo.Clear();
        // Resize with half-pixel bilinear sampling needs opset 11+; BatchNormalization lost 'spatial' in opset 9.
        model.OpsetImport.Clear();
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 17 });
        model.IrVersion = 8;
        foreach (var node in graph.Node.Where(n => n.OpType == "BatchNormalization"))
        {
            var spatial = node.Attribute.FirstOrDefault(a => a.Name == "spatial");
            if (spatial is not null) node.Attribute.Remove(spatial);
        }

        var body = graph.Node.ToList();
        graph.Node.Clear();
        graph.Input.Clear();
        graph.Output.Clear();
        graph.Input.Add(FloatValueInfo(FeatureGraph.InputName, "N", 3, InputSize, InputSize));
        var b = new OnnxGraphBuilder(graph, "funad");

        // The shipped preprocessing model, as nodes: 0..1 RGB -> 0..255 BGR minus the mean image.
        var scaled = b.Node("Mul", [FeatureGraph.InputName, b.Constant([255f])]);
        var bgr = b.Node("Gather", [scaled, b.Constant([2L, 1L, 0L], 3)], Int("axis", 1));
        bgrMeanImage.Name = "funad/bgr_mean_image";
        graph.Node.Add(new NodeProto { Name = "funad/preprocess", OpType = "Sub", Input = { bgr, b.Initializer(bgrMeanImage) }, Output = { OriginalInput } });
        graph.Node.AddRange(body);

        // PatchCore's local neighbourhood aggregation (torch AvgPool2d(3, 1, 1) counts padding).
        AttributeProto[] pool = [Ints("kernel_shape", 3, 3), Ints("strides", 1, 1), Ints("pads", 1, 1, 1, 1), Int("count_include_pad", 1)];
        var stage2 = b.Node("AveragePool", [Stage2], pool);
        var stage3 = b.Node("AveragePool", [Stage3], pool);
        var upsampled = b.Node("Resize", [stage3, "", b.Constant([1f, 1f, 2f, 2f], 4)],
            String("mode", "linear"), String("coordinate_transformation_mode", "half_pixel"));
        var joined = b.Node("Concat", [stage2, upsampled], Int("axis", 1));
        var channelsLast = b.Node("Transpose", [joined], Ints("perm", 0, 2, 3, 1));
        var patches = b.Node("Reshape", [channelsLast, b.Constant([0L, 28 * 28, 384], 3)]);
        b.Output(patches, FeatureGraph.PatchOutput, "N", 28 * 28, 384);
        b.Output(b.Node("Flatten", [PooledOutput], Int("axis", 1)), FeatureGraph.GlobalOutput, "N", 512);
    }
}
