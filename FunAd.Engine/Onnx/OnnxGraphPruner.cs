using FunAd.Engine.Onnx.Format;

namespace FunAd.Engine.Onnx;

/// <summary>
/// Removes the nodes and initializers that no graph output depends on. An exported FUN-AD defect
/// model that scores patch features alone does not need the backbone's last stage and pooled
/// vector, for instance: about a quarter of ResNet18's work.
/// </summary>
public static class OnnxGraphPruner
{
    public static int Prune(GraphProto graph)
    {
        var needed = new HashSet<string>(graph.Output.Select(o => o.Name), StringComparer.Ordinal);
        var keep = new bool[graph.Node.Count];
        for (var i = graph.Node.Count - 1; i >= 0; i--)
        {
            var node = graph.Node[i];
            if (!node.Output.Any(needed.Contains)) continue;
            keep[i] = true;
            foreach (var input in node.Input) needed.Add(input);
        }
        var removed = 0;
        for (var i = graph.Node.Count - 1; i >= 0; i--)
        {
            if (keep[i]) continue;
            graph.Node.RemoveAt(i);
            removed++;
        }
        for (var i = graph.Initializer.Count - 1; i >= 0; i--)
            if (!needed.Contains(graph.Initializer[i].Name)) graph.Initializer.RemoveAt(i);
        return removed;
    }
}
