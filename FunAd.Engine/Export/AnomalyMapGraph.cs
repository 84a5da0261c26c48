using FunAd.Engine.Onnx;
using FunAd.Engine.Scoring;
using static FunAd.Engine.Onnx.OnnxGraphBuilder;

namespace FunAd.Engine.Export;

/// <summary>
/// The method's pixel map as graph nodes: patch-score grid [N,1,g,g] -> bilinear upsampling with
/// half-pixel centres to [N,1,S,S] -> Gaussian blur (sigma 4 at 224 px, scaled to S) as two 1-D
/// convolutions over reflect-padded maps. The same arithmetic as <see cref="AnomalyMap"/>.
/// </summary>
public static class AnomalyMapGraph
{
    public static string Append(OnnxGraphBuilder b, string grid, int gridSize, int size)
    {
        var scale = (float)size / gridSize;
        var map = b.Node("Resize", [grid, "", b.Constant([1f, 1f, scale, scale], 4)],
            String("mode", "linear"), String("coordinate_transformation_mode", "half_pixel"));
        var sigma = AnomalyMap.SigmaAt224 * size / 224.0;
        var kernel = GaussianBlur.Kernel(sigma);
        long radius = kernel.Length / 2;
        var horizontal = b.Node("Pad", [map, b.Constant([0L, 0, 0, radius, 0, 0, 0, radius], 8)], String("mode", "reflect"));
        horizontal = b.Node("Conv", [horizontal, b.Constant(kernel, 1, 1, 1, kernel.Length)]);
        var vertical = b.Node("Pad", [horizontal, b.Constant([0L, 0, radius, 0, 0, 0, radius, 0], 8)], String("mode", "reflect"));
        return b.Node("Conv", [vertical, b.Constant(kernel, 1, 1, kernel.Length, 1)]);
    }
}
