using System.Collections.Concurrent;

namespace FunAd.Engine.Imaging;

/// <summary>
/// Separable triangle-filter (bilinear, widened when shrinking so every source pixel counts) resize
/// of 8-bit RGB straight into planar floats in 0..1: the kernel of ImageSharp's Triangle resampler,
/// without its conversions to and from premultiplied vectors and bytes, which made resizing cost as
/// much as decoding. Weights are multiples of 2^-14 that sum to exactly 1, so a uniform image stays
/// exactly uniform.
/// </summary>
internal static class TriangleResampler
{
    private const int WeightBits = 14;

    /// <summary>For each output index, the first source index, the number of weights, and <see cref="Taps"/> weights (zero-padded).</summary>
    private sealed record Kernel(int[] First, int[] Count, float[] Weights, int Taps);

    private static readonly ConcurrentDictionary<(int Source, int Target), Kernel> Kernels = new();

    private static Kernel For(int source, int target) => Kernels.GetOrAdd((source, target), key => Build(key.Source, key.Target));

    private static Kernel Build(int source, int target)
    {
        var scale = (double)source / target;
        var support = Math.Max(scale, 1.0);
        var taps = (int)Math.Ceiling(2 * support) + 2;
        var first = new int[target];
        var counts = new int[target];
        var weights = new float[target * taps];
        var raw = new double[taps];
        for (var i = 0; i < target; i++)
        {
            var center = (i + 0.5) * scale - 0.5;
            var left = (int)Math.Ceiling(center - support);
            var right = (int)Math.Floor(center + support);
            left = Math.Max(left, 0);
            right = Math.Min(right, source - 1);
            if (right < left) right = left = Math.Clamp((int)Math.Round(center), 0, source - 1);
            var count = right - left + 1;
            double total = 0;
            for (var k = 0; k < count; k++)
            {
                raw[k] = Math.Max(0, 1 - Math.Abs((left + k - center) / support));
                total += raw[k];
            }
            if (total <= 0)
            {
                // The window fell between samples (an exact hit on a zero of the kernel): nearest pixel.
                Array.Clear(raw);
                raw[Math.Clamp((int)Math.Round(center) - left, 0, count - 1)] = 1;
                total = 1;
            }
            // Integer weights summing to exactly 2^14: the rounding error goes to the largest one.
            var integers = new int[count];
            var sum = 0;
            var largest = 0;
            for (var k = 0; k < count; k++)
            {
                integers[k] = (int)Math.Round(raw[k] / total * (1 << WeightBits));
                sum += integers[k];
                if (integers[k] > integers[largest]) largest = k;
            }
            integers[largest] += (1 << WeightBits) - sum;
            first[i] = left;
            counts[i] = count;
            for (var k = 0; k < count; k++) weights[i * taps + k] = integers[k] / (float)(1 << WeightBits);
        }
        return new Kernel(first, counts, weights, taps);
    }

    /// <summary>
    /// Resizes the whole <paramref name="image"/> to <paramref name="width"/> x <paramref name="height"/>
    /// and writes the window at (<paramref name="left"/>, <paramref name="top"/>) of size
    /// <paramref name="size"/> x <paramref name="size"/> as three planes into <paramref name="destination"/>.
    /// </summary>
    public static void ResizeToChw(RgbImage image, int width, int height, int left, int top, int size, Span<float> destination)
    {
        var horizontal = For(image.Width, width);
        var vertical = For(image.Height, height);
        var plane = size * size;
        // Horizontal pass over the source rows the window needs, for the window's columns only, into
        // three planes (so the vertical pass runs over contiguous rows, a vector at a time).
        var rowFrom = vertical.First[top];
        var rowTo = vertical.First[top + size - 1] + vertical.Count[top + size - 1] - 1;
        var rows = rowTo - rowFrom + 1;
        var length = rows * size;
        var temporary = System.Buffers.ArrayPool<float>.Shared.Rent(3 * length);
        try
        {
            var pixels = image.Pixels.AsSpan();
            var stride = image.Width * 3;
            var red = temporary.AsSpan(0, length);
            var green = temporary.AsSpan(length, length);
            var blue = temporary.AsSpan(2 * length, length);
            for (var y = 0; y < rows; y++)
            {
                var row = pixels.Slice((rowFrom + y) * stride, stride);
                var output = y * size;
                for (var x = 0; x < size; x++)
                {
                    var column = left + x;
                    var start = horizontal.First[column] * 3;
                    var weights = horizontal.Weights.AsSpan(column * horizontal.Taps, horizontal.Count[column]);
                    float r = 0, g = 0, b = 0;
                    for (var k = 0; k < weights.Length; k++)
                    {
                        var weight = weights[k];
                        var p = start + k * 3;
                        r += weight * row[p];
                        g += weight * row[p + 1];
                        b += weight * row[p + 2];
                    }
                    red[output + x] = r;
                    green[output + x] = g;
                    blue[output + x] = b;
                }
            }
            for (var c = 0; c < 3; c++)
            {
                var source = temporary.AsSpan(c * length, length);
                var planeOut = destination.Slice(c * plane, plane);
                for (var y = 0; y < size; y++)
                {
                    var target = top + y;
                    var start = vertical.First[target] - rowFrom;
                    var weights = vertical.Weights.AsSpan(target * vertical.Taps, vertical.Count[target]);
                    var line = planeOut.Slice(y * size, size);
                    line.Clear();
                    for (var k = 0; k < weights.Length; k++) AddScaled(line, source.Slice((start + k) * size, size), weights[k]);
                    Divide(line, 255f);
                }
            }
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(temporary);
        }
    }

    private static void AddScaled(Span<float> target, ReadOnlySpan<float> source, float weight)
    {
        var i = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated)
        {
            var width = System.Numerics.Vector<float>.Count;
            var w = new System.Numerics.Vector<float>(weight);
            for (; i <= target.Length - width; i += width)
                (new System.Numerics.Vector<float>(target[i..]) + w * new System.Numerics.Vector<float>(source[i..])).CopyTo(target[i..]);
        }
        for (; i < target.Length; i++) target[i] += weight * source[i];
    }

    // Division, not multiplication by 1/255: 255 / 255 must be exactly 1.
    private static void Divide(Span<float> values, float by)
    {
        var i = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated)
        {
            var width = System.Numerics.Vector<float>.Count;
            var d = new System.Numerics.Vector<float>(by);
            for (; i <= values.Length - width; i += width) (new System.Numerics.Vector<float>(values[i..]) / d).CopyTo(values[i..]);
        }
        for (; i < values.Length; i++) values[i] /= by;
    }
}
