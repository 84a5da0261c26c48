namespace FunAd.Engine.Scoring;

/// <summary>
/// Turns a grid of patch scores into a pixel map at any output size, as the method says: bilinear
/// upsampling (half-pixel centres, like torch's align_corners=False), then a Gaussian blur whose
/// sigma is 4 pixels at the backbone's 224-pixel input, scaled with the output size per axis.
/// The exported graph (Export/AnomalyMapGraph) computes the same map; this managed version is the
/// specification it is tested against, and <see cref="Upsample"/> resizes the graph's map to an image.
/// </summary>
public static class AnomalyMap
{
    public const double SigmaAt224 = 4.0;

    public static float[] Render(ReadOnlySpan<float> grid, int gridSize, int width, int height, double sigmaAt224 = SigmaAt224)
    {
        if (grid.Length != gridSize * gridSize) throw new ArgumentException($"Expected {gridSize * gridSize} patch scores.", nameof(grid));
        var map = Upsample(grid, gridSize, gridSize, width, height);
        if (sigmaAt224 > 0)
            GaussianBlur.Apply(map, width, height, sigmaAt224 * width / 224.0, sigmaAt224 * height / 224.0);
        return map;
    }

    public static float[] Upsample(ReadOnlySpan<float> source, int sourceWidth, int sourceHeight, int width, int height)
    {
        var (x0, x1, wx) = Taps(sourceWidth, width);
        var (y0, y1, wy) = Taps(sourceHeight, height);
        var result = new float[width * height];
        for (var y = 0; y < height; y++)
        {
            var row0 = y0[y] * sourceWidth;
            var row1 = y1[y] * sourceWidth;
            var fy = wy[y];
            for (var x = 0; x < width; x++)
            {
                var fx = wx[x];
                var top = source[row0 + x0[x]] * (1 - fx) + source[row0 + x1[x]] * fx;
                var bottom = source[row1 + x0[x]] * (1 - fx) + source[row1 + x1[x]] * fx;
                result[y * width + x] = top * (1 - fy) + bottom * fy;
            }
        }
        return result;
    }

    /// <summary>For each output index: the two source indices and the weight of the second.</summary>
    private static (int[] Low, int[] High, float[] Weight) Taps(int sourceLength, int length)
    {
        var low = new int[length];
        var high = new int[length];
        var weight = new float[length];
        var scale = (double)sourceLength / length;
        for (var i = 0; i < length; i++)
        {
            var position = Math.Max((i + 0.5) * scale - 0.5, 0);
            var l = Math.Min((int)position, sourceLength - 1);
            low[i] = l;
            high[i] = Math.Min(l + 1, sourceLength - 1);
            weight[i] = (float)(position - l);
        }
        return (low, high, weight);
    }
}
