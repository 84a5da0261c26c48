using FunAd.Engine.Backbones;
using FunAd.Engine.Baselines.PatchCore;
using FunAd.Engine.Models;
using FunAd.Engine.Onnx;

namespace FunAd.Engine.Export;

/// <summary>
/// The memory-bank baseline as graph nodes: each feature row's L2 distance to its nearest bank row,
/// sqrt(max(0, |q|^2 + |b|^2 - 2 q.b)), with the bank as a constant. Returns the patch-score grid
/// [N,1,g,g] (semantic: [N,1,1,1]).
/// </summary>
public static class PatchCoreHeadGraph
{
    public static string Append(OnnxGraphBuilder b, PatchCoreModel model, long opset)
    {
        var semantic = DetectionModeParser.Parse(model.Manifest.Mode) == DetectionMode.Semantic;
        var dimension = model.Dimension;
        var count = model.BankSize;
        var bank = model.Bank;
        var transposed = new float[bank.Length];
        var norms = new float[count];
        for (var r = 0; r < count; r++)
        {
            double norm = 0;
            for (var c = 0; c < dimension; c++)
            {
                var v = bank[r * dimension + c];
                transposed[c * count + r] = v;
                norm += v * v;
            }
            norms[r] = (float)norm;
        }
        var rows = semantic ? b.Node("Unsqueeze", [FeatureGraph.GlobalOutput, b.Constant([1L], 1)]) : FeatureGraph.PatchOutput; // [N, P, D]
        var dot = b.Node("MatMul", [rows, b.Constant(transposed, dimension, count)]);                                              // [N, P, M]
        var queryNorms = b.Reduce("ReduceSumSquare", rows, [2], keepDims: true, opset);                                // [N, P, 1]
        var squared = b.Node("Sub", [b.Node("Add", [queryNorms, b.Constant(norms, count)]), b.Node("Mul", [dot, b.Constant([2f])])]);
        var nearest = b.Reduce("ReduceMin", squared, [2], keepDims: false, opset);// [N, P]
        var distance = b.Node("Sqrt", [b.Node("Relu", [nearest])]);
        var grid = semantic ? 1 : model.Manifest.Backbone.Grid;
        return b.Node("Reshape", [distance, b.Constant([-1L, 1, grid, grid], 4)]);
    }
}
