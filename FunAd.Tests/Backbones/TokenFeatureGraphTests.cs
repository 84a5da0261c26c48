using FunAd.Engine.Backbones;
using FunAd.Engine.Devices;
using FunAd.Engine.Onnx;
using FunAd.Engine.Onnx.Format;
using FunAd.Tests.Support;
using Google.Protobuf;
using static FunAd.Engine.Onnx.OnnxGraphBuilder;

namespace FunAd.Tests.Backbones;

public class TokenFeatureGraphTests
{
    private const int Size = 32, Patch = 8, Dim = 6, Grid = Size / Patch;

    /// <summary>
    /// A tiny ViT-shaped model that follows the token contract: 8x8 patch embedding by a strided
    /// convolution, patch_tokens [N,16,6], class_token = mean of the patch tokens [N,6].
    /// </summary>
    private static (string Path, float[] Weights) WriteTinyTokenModel(TemporaryFolder folder, bool withClassToken = true)
    {
        var random = new Random(3);
        var weights = Enumerable.Range(0, Dim * 3 * Patch * Patch).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var model = new ModelProto { IrVersion = 8, Graph = new GraphProto { Name = "tiny-vit" } };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 17 });
        var graph = model.Graph;
        graph.Input.Add(FloatValueInfo("image", "N", 3, Size, Size));
        var b = new OnnxGraphBuilder(graph, "tiny");
        var w = b.Initializer(FloatTensor("patch_embed", weights, Dim, 3, Patch, Patch));
        var embedded = b.Node("Conv", ["image", w], Ints("kernel_shape", Patch, Patch), Ints("strides", Patch, Patch));
        var flat = b.Node("Reshape", [embedded, b.Constant([0L, Dim, Grid * Grid], 3)]);
        var tokens = b.Node("Transpose", [flat], Ints("perm", 0, 2, 1));
        b.Output(tokens, "patch_tokens", "N", Grid * Grid, Dim);
        if (withClassToken)
            b.Output(b.Node("ReduceMean", [tokens], Ints("axes", 1), Int("keepdims", 0)), "class_token", "N", Dim);
        var path = folder.Combine(withClassToken ? "tiny_vit.onnx" : "broken_vit.onnx");
        File.WriteAllBytes(path, model.ToByteArray());
        return (path, weights);
    }

    [Fact]
    public void Patch_features_are_the_patch_tokens_and_the_global_feature_is_the_class_token()
    {
        using var folder = new TemporaryFolder();
        var (path, weights) = WriteTinyTokenModel(folder);
        using var extractor = BackboneCatalog.Open(path, ComputeDevice.Resolve(DeviceChoice.Cpu));
        var random = new Random(5);
        var image = Enumerable.Range(0, 3 * Size * Size).Select(_ => (float)random.NextDouble()).ToArray();

        var features = extractor.Extract(image, 1).Single();

        Assert.Equal((Size, Grid, Dim, Dim), (extractor.Info.InputSize, extractor.Info.Grid, extractor.Info.PatchDim, extractor.Info.GlobalDim));
        // The expected tokens, by hand: token[p][d] = sum over the 3x8x8 pixels of patch p of weight * pixel.
        var tokens = new double[Grid * Grid, Dim];
        for (var p = 0; p < Grid * Grid; p++)
        for (var d = 0; d < Dim; d++)
        for (var c = 0; c < 3; c++)
        for (var ky = 0; ky < Patch; ky++)
        for (var kx = 0; kx < Patch; kx++)
            tokens[p, d] += weights[((d * 3 + c) * Patch + ky) * Patch + kx] * image[(c * Size + p / Grid * Patch + ky) * Size + p % Grid * Patch + kx];
        for (var d = 0; d < Dim; d++)
        {
            var classToken = Enumerable.Range(0, Grid * Grid).Average(p => tokens[p, d]);
            Assert.Equal(classToken, features.Global[d], 1e-4);
            foreach (var p in new[] { 0, 5, 15 })
                Assert.Equal(tokens[p, d], features.Patches[p * Dim + d], 1e-4);
        }
    }

    [Fact]
    public void A_model_without_a_class_token_is_refused_with_the_file_and_the_contract()
    {
        using var folder = new TemporaryFolder();
        var (path, _) = WriteTinyTokenModel(folder, withClassToken: false);

        var error = Assert.Throws<InvalidDataException>(() => TokenFeatureGraph.Load(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("class_token", error.Message);
    }

    [Fact]
    public void A_file_that_is_not_onnx_is_refused_with_its_name()
    {
        using var folder = new TemporaryFolder();
        var path = folder.Combine("notes.onnx");
        File.WriteAllText(path, "this is not a model");

        var error = Assert.ThrowsAny<Exception>(() => BackboneCatalog.LoadGraph(path));

        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void An_unknown_backbone_name_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => BackboneCatalog.LoadGraph("vgg99"));
        Assert.Contains("vgg99", error.Message);
    }

    [Fact]
    public void The_opset_of_the_default_domain_is_read()
    {
        var model = new ModelProto();
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "com.microsoft", Version = 1 });
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 12 });
        Assert.Equal(12, OnnxModelFile.DefaultOpset(model));
    }
}
