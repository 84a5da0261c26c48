namespace FunAd.Engine.Metrics;

/// <summary>
/// Splits a ground-truth mask into defect regions. 8-connectivity, as in the MVTec AD evaluation,
/// so that a thin diagonal scratch stays one region.
/// </summary>
public static class ConnectedComponents
{
    /// <summary>
    /// Labels the true pixels of a row-major <paramref name="mask"/>: 0 for background and
    /// 1..Count for the components, numbered in order of their first pixel.
    /// </summary>
    /// <exception cref="ArgumentException">The mask length is not width x height.</exception>
    public static (int[] Labels, int Count) Label(bool[] mask, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(mask);
        ArgumentOutOfRangeException.ThrowIfNegative(width);
        ArgumentOutOfRangeException.ThrowIfNegative(height);
        if ((long)width * height != mask.Length)
        {
            throw new ArgumentException(
                $"mask has {mask.Length} pixels but {width} x {height} = {(long)width * height}.", nameof(mask));
        }

        var labels = new int[mask.Length];
        int count = 0;

        // Iterative flood fill: recursion would overflow the stack on a large defect. Each pixel is
        // labelled when pushed, so it is pushed at most once and the stack never exceeds the mask size.
        int[]? stack = null;
        for (int seed = 0; seed < mask.Length; seed++)
        {
            if (!mask[seed] || labels[seed] != 0)
            {
                continue;
            }

            stack ??= new int[mask.Length];
            count++;
            labels[seed] = count;
            int top = 0;
            stack[top++] = seed;
            while (top > 0)
            {
                int pixel = stack[--top];
                int x = pixel % width;
                int y = pixel / width;
                for (int ny = Math.Max(y - 1, 0); ny <= Math.Min(y + 1, height - 1); ny++)
                {
                    for (int nx = Math.Max(x - 1, 0); nx <= Math.Min(x + 1, width - 1); nx++)
                    {
                        int neighbour = ny * width + nx;
                        if (mask[neighbour] && labels[neighbour] == 0)
                        {
                            labels[neighbour] = count;
                            stack[top++] = neighbour;
                        }
                    }
                }
            }
        }

        return (labels, count);
    }
}
