namespace FunAd.Engine.Synthesis;

/// <summary>
/// 2-D Perlin (gradient) noise on a width x height raster with a lattice of cellsX x cellsY cells,
/// values roughly in [-1, 1]. Thresholded, it gives the irregular blobs DRAEM-style synthetic
/// anomalies are cut with.
/// </summary>
public static class PerlinNoise
{
    public static float[] Generate(int width, int height, int cellsX, int cellsY, Random random)
    {
        var gradients = new (double X, double Y)[(cellsX + 1) * (cellsY + 1)];
        for (var i = 0; i < gradients.Length; i++)
        {
            var angle = random.NextDouble() * 2 * Math.PI;
            gradients[i] = (Math.Cos(angle), Math.Sin(angle));
        }
        var noise = new float[width * height];
        for (var y = 0; y < height; y++)
        {
            var gy = (double)y * cellsY / height;
            var cy = (int)gy;
            var fy = gy - cy;
            for (var x = 0; x < width; x++)
            {
                var gx = (double)x * cellsX / width;
                var cx = (int)gx;
                var fx = gx - cx;
                double Corner(int dx, int dy)
                {
                    var g = gradients[(cy + dy) * (cellsX + 1) + cx + dx];
                    return g.X * (fx - dx) + g.Y * (fy - dy);
                }
                var top = Lerp(Corner(0, 0), Corner(1, 0), Fade(fx));
                var bottom = Lerp(Corner(0, 1), Corner(1, 1), Fade(fx));
                noise[y * width + x] = (float)(Lerp(top, bottom, Fade(fy)) * Math.Sqrt(2));
            }
        }
        return noise;
    }

    /// <summary>Perlin's quintic fade 6t^5 - 15t^4 + 10t^3: smooth in value, slope and curvature at the cell edges.</summary>
    private static double Fade(double t) => t * t * t * (t * (t * 6 - 15) + 10);

    private static double Lerp(double a, double b, double t) => a + (b - a) * t;
}
