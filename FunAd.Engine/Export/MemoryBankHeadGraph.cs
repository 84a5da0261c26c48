using FunAd.Engine.Backbones;
using FunAd.Engine.MemoryBank;
using FunAd.Engine.Models;
using FunAd.Engine.Onnx;
using static FunAd.Engine.Onnx.OnnxGraphBuilder;

namespace FunAd.Engine.Export;

/// <summary>
/// A memory bank as graph nodes, the bank a constant. L2: each feature row's mean distance to its k
/// nearest bank rows, sqrt(max(0, |q|^2 + |b|^2 - 2 q.b)) (k = 1 is PatchCore's score). Cosine: the
/// row L2-normalised, 1 - the mean of its k largest similarities to the (normalised) bank rows.
/// Returns the patch-score grid [N,1,g,g] (semantic: [N,1,1,1]). Where the bank knows its rows'
/// images (and the backbone's ONNX IR allows an optional input), the optional input
/// <see cref="ExportContract.ExcludeImage"/> leaves one training image's rows out of each image's search.
/// </summary>
public static class MemoryBankHeadGraph
{
    /// <summary>The first ONNX IR version in which an initializer can be a graph input's default.</summary>
    private const long OptionalInputIr = 4;

    public static string Append(OnnxGraphBuilder b, MemoryBankModel model, long opset, long irVersion)
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
        // [N,1,M]: true where a bank row belongs to the image this image must not be compared with.
        string? excluded = null;
        if (model.Images is { } images && irVersion >= OptionalInputIr)
        {
            var exclude = b.OptionalInput(ExportContract.ExcludeImage, [-1L], "N");
            var owners = b.Constant(images.RowOwners.Select(o => (long)o).ToArray(), count);
            excluded = b.Node("Equal", [b.Node("Unsqueeze", [exclude, b.Constant([1L, 2L], 2)]), owners]);
        }
        string score;
        if (model.Metric == BankMetric.Cosine)
        {
            var length = b.Node("Sqrt", [b.Reduce("ReduceSumSquare", rows, [2], keepDims: true, opset)]);                     // [N, P, 1]
            var unit = b.Node("Div", [rows, b.Node("Max", [length, b.Constant([1e-12f])])]);
            var similarity = b.Node("MatMul", [unit, b.Constant(transposed, dimension, count)]);                                  // [N, P, M]
            if (excluded is not null) similarity = b.Node("Where", [excluded, b.Constant([-3f]), similarity]);                       // below any similarity
            var nearest = b.Node("TopK", [similarity, b.Constant([(long)model.K], 1)], 2, Int("axis", 2), Int("largest", 1))[0];    // [N, P, k]
            score = b.Node("Sub", [b.Constant([1f]), b.Reduce("ReduceMean", nearest, [2], keepDims: false, opset)]);              // [N, P]
        }
        else
        {
            var dot = b.Node("MatMul", [rows, b.Constant(transposed, dimension, count)]);                                          // [N, P, M]
            var queryNorms = b.Reduce("ReduceSumSquare", rows, [2], keepDims: true, opset);                                         // [N, P, 1]
            var squared = b.Node("Sub", [b.Node("Add", [queryNorms, b.Constant(norms, count)]), b.Node("Mul", [dot, b.Constant([2f])])]);
            if (excluded is not null) squared = b.Node("Where", [excluded, b.Constant([1e30f]), squared]);                           // never the nearest
            score = model.K == 1
                ? b.Node("Sqrt", [b.Node("Relu", [b.Reduce("ReduceMin", squared, [2], keepDims: false, opset)])])                   // [N, P]
                : b.Reduce("ReduceMean", b.Node("Sqrt", [b.Node("Relu", [
                    b.Node("TopK", [squared, b.Constant([(long)model.K], 1)], 2, Int("axis", 2), Int("largest", 0))[0]])]), [2], keepDims: false, opset);
        }
        var grid = semantic ? 1 : model.Manifest.Backbone.Grid;
        return b.Node("Reshape", [score, b.Constant([-1L, 1, grid, grid], 4)]);
    }
}
