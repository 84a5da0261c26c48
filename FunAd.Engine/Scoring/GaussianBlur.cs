using System.Numerics;

namespace FunAd.Engine.Scoring;

/// <summary>
/// Separable Gaussian blur with reflected borders (scipy/numpy "reflect" without repeating the
/// edge, like torch's reflect padding), kernel radius 4 sigma. The horizontal pass works on a
/// padded copy of each row; the vertical pass adds whole weighted rows, which vectorises.
/// </summary>
public static class GaussianBlur
{
    public static void Apply(float[] image, int width, int height, double sigmaX, double sigmaY)
    {
        var temporary = new float[image.Length];
        var kernelX = Kernel(sigmaX);
        var kernelY = Kernel(sigmaY);
        Parallel.For(0, height, () => new float[width + kernelX.Length], (y, _, padded) =>
        {
            BlurRow(image.AsSpan(y * width, width), temporary.AsSpan(y * width, width), kernelX, padded);
            return padded;
        }, _ => { });
        Parallel.For(0, height, y => BlurColumnsIntoRow(temporary, image, y, width, height, kernelY));
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

    private static void BlurRow(ReadOnlySpan<float> source, Span<float> destination, float[] kernel, float[] padded)
    {
        var radius = kernel.Length / 2;
        var length = source.Length;
        for (var i = 0; i < length + 2 * radius; i++) padded[i] = source[Reflect(i - radius, length)];
        for (var i = 0; i < length; i++)
        {
            float sum = 0;
            for (var k = 0; k < kernel.Length; k++) sum += kernel[k] * padded[i + k];
            destination[i] = sum;
        }
    }

    private static void BlurColumnsIntoRow(float[] source, float[] destination, int y, int width, int height, float[] kernel)
    {
        var radius = kernel.Length / 2;
        var row = destination.AsSpan(y * width, width);
        row.Clear();
        for (var k = -radius; k <= radius; k++)
        {
            var weight = kernel[k + radius];
            var from = source.AsSpan(Reflect(y + k, height) * width, width);
            var i = 0;
            if (Vector.IsHardwareAccelerated)
            {
                var w = new Vector<float>(weight);
                for (; i <= width - Vector<float>.Count; i += Vector<float>.Count)
                    (new Vector<float>(row[i..]) + w * new Vector<float>(from[i..])).CopyTo(row[i..]);
            }
            for (; i < width; i++) row[i] += weight * from[i];
        }
    }

    private static int Reflect(int i, int length)
    {
        if (length == 1) return 0;
        var period = 2 * (length - 1);
        i = Math.Abs(i) % period;
        return i < length ? i : period - i;
    }
}
