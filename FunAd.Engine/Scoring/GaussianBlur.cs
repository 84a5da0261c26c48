namespace FunAd.Engine.Scoring;

/// <summary>
/// Separable Gaussian blur with reflected borders (the behaviour of the reference implementations'
/// blur), kernel radius 4 sigma, rows in parallel.
/// </summary>
public static class GaussianBlur
{
    public static void Apply(float[] image, int width, int height, double sigmaX, double sigmaY)
    {
        var temporary = new float[image.Length];
        var kernelX = Kernel(sigmaX);
        var kernelY = Kernel(sigmaY);
        Parallel.For(0, height, y => ConvolveRow(image.AsSpan(y * width, width), temporary.AsSpan(y * width, width), kernelX));
        Parallel.For(0, width, x => ConvolveColumn(temporary, image, x, width, height, kernelY));
    }

    public static float[] Kernel(double sigma)
    {
        var radius = Math.Max(1, (int)(4 * sigma + 0.5));
        var kernel = new float[2 * radius + 1];
        double sum = 0;
        for (var i = -radius; i <= radius; i++) sum += kernel[i + radius] = (float)Math.Exp(-0.5 * i * i / (sigma * sigma));
        for (var i = 0; i < kernel.Length; i++) kernel[i] = (float)(kernel[i] / sum);
        return kernel;
    }

    private static void ConvolveRow(ReadOnlySpan<float> source, Span<float> destination, float[] kernel)
    {
        var radius = kernel.Length / 2;
        for (var i = 0; i < source.Length; i++)
        {
            float sum = 0;
            for (var k = -radius; k <= radius; k++) sum += kernel[k + radius] * source[Reflect(i + k, source.Length)];
            destination[i] = sum;
        }
    }

    private static void ConvolveColumn(float[] source, float[] destination, int x, int width, int height, float[] kernel)
    {
        var radius = kernel.Length / 2;
        for (var y = 0; y < height; y++)
        {
            float sum = 0;
            for (var k = -radius; k <= radius; k++) sum += kernel[k + radius] * source[Reflect(y + k, height) * width + x];
            destination[y * width + x] = sum;
        }
    }

    /// <summary>Mirror without repeating the edge sample (numpy/scipy "reflect" of torch's reflect pad).</summary>
    private static int Reflect(int i, int length)
    {
        if (length == 1) return 0;
        var period = 2 * (length - 1);
        i = Math.Abs(i) % period;
        return i < length ? i : period - i;
    }
}
