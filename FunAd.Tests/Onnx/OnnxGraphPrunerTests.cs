using FunAd.Engine.Onnx;
using FunAd.Engine.Onnx.Format;
using static FunAd.Engine.Onnx.OnnxGraphBuilder;

namespace FunAd.Tests.Onnx;

public class OnnxGraphPrunerTests
{
    [Fact]
    public void Nodes_and_constants_no_output_depends_on_are_removed_and_the_rest_kept_in_order()
    {
        var graph = new GraphProto();
        graph.Input.Add(FloatValueInfo("x", 2));
        var b = new OnnxGraphBuilder(graph, "t");
        var used = b.Node("Add", ["x", b.Constant([1f, 2f], 2)]);
        var dead = b.Node("Mul", ["x", b.Constant([3f, 4f], 2)]);
        _ = b.Node("Relu", [dead]);
        b.Output(b.Node("Sigmoid", [used]), "y", 2);

        var removed = OnnxGraphPruner.Prune(graph);

        Assert.Equal(2, removed);
        Assert.Equal(new[] { "Add", "Sigmoid", "Identity" }, graph.Node.Select(n => n.OpType));
        Assert.Single(graph.Initializer);
        Assert.Equal(new[] { 1f, 2f }, FloatValues(graph.Initializer[0]));
    }
}
