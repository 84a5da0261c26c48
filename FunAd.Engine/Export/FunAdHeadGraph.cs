using FunAd.Engine.Backbones;
using FunAd.Engine.Models;
using FunAd.Engine.Onnx;
using FunAd.Engine.Training;
using static FunAd.Engine.Onnx.OnnxGraphBuilder;

namespace FunAd.Engine.Export;

/// <summary>
/// FUN-AD's Local-Net as graph nodes on top of the feature graph: the feature rows (patch features,
/// or concat(global, patch), or the global feature in semantic mode) through the adaptor and the
/// discriminator, as MatMul + Add + LeakyRelu and a final Sigmoid. Returns the patch-score grid
/// [N,1,g,g] (semantic: [N,1,1,1]).
/// </summary>
public static class FunAdHeadGraph
{
    private static readonly string[] Layers = ["adaptor", "hidden1", "hidden2", "output"];

    public static string Append(OnnxGraphBuilder b, FunAdModel model)
    {
        var layout = model.Layout;
        var weights = model.Weights();
        string rows;
        if (layout.Mode == DetectionMode.Semantic)
        {
            rows = FeatureGraph.GlobalOutput; // [N, G]
        }
        else if (layout.ConcatGlobal)
        {
            // The global feature repeated over the patches: [N,1,G] * ones[1,P,1] broadcasts to [N,P,G].
            var global = b.Node("Unsqueeze", [FeatureGraph.GlobalOutput, b.Constant([1L], 1)]);
            var repeated = b.Node("Mul", [global, b.Constant(Enumerable.Repeat(1f, layout.Rows).ToArray(), 1, layout.Rows, 1)]);
            rows = b.Node("Concat", [repeated, FeatureGraph.PatchOutput], Int("axis", 2));
        }
        else
        {
            rows = FeatureGraph.PatchOutput; // [N, P, D]
        }

        var x = rows;
        foreach (var layer in Layers)
        {
            var (w, shape) = weights[$"{layer}.weight"];
            var (bias, _) = weights[$"{layer}.bias"];
            x = b.Node("MatMul", [x, b.Constant(Transpose(w, (int)shape[0], (int)shape[1]), shape[1], shape[0])]);
            x = b.Node("Add", [x, b.Constant(bias, shape[0])]);
            x = layer == "output" ? b.Node("Sigmoid", [x]) : b.Node("LeakyRelu", [x], Float("alpha", 0.2f));
        }
        var grid = layout.Mode == DetectionMode.Semantic ? 1 : layout.Grid;
        return b.Node("Reshape", [x, b.Constant([-1L, 1, grid, grid], 4)]);
    }

    /// <summary>[out, in] row-major to [in, out], so that x W^T is one MatMul.</summary>
    private static float[] Transpose(float[] w, int rows, int columns)
    {
        var t = new float[w.Length];
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < columns; c++)
                t[c * rows + r] = w[r * columns + c];
        return t;
    }
}
