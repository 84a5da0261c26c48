using FunAd.Engine.Devices;
using static TorchSharp.torch;

namespace FunAd.Engine.Search;

/// <summary>
/// PatchCore's greedy k-center coreset: repeatedly take the vector farthest from those already
/// taken, measured after a seeded Gaussian random projection (Johnson-Lindenstrauss) to fewer
/// dimensions. Being farthest-first, it keeps outliers: a contaminated training set puts its
/// anomalies into the bank, which is exactly the weakness FUN-AD addresses.
/// </summary>
public static class GreedyCoreset
{
    public static int[] Select(float[] vectors, int dimension, int count, int projectionDimension, int seed, ComputeDevice device,
        IProgress<double>? progress = null, CancellationToken cancellation = default)
    {
        var total = vectors.Length / dimension;
        if (count >= total) return Enumerable.Range(0, total).ToArray();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var random = new Random(seed);
        var x = tensor(vectors, [total, dimension], device: device.TorchDevice);
        var z = dimension > projectionDimension ? x.mm(Projection(dimension, projectionDimension, random, device)) : x;
        var norms = z.pow(Scalars.Two).sum(1);
        var selected = new int[count];
        selected[0] = random.Next(total);
        var nearest = SquaredDistancesTo(z, norms, selected[0]);
        for (var i = 1; i < count; i++)
        {
            if (i % 256 == 0)
            {
                cancellation.ThrowIfCancellationRequested();
                progress?.Report((double)i / count);
            }
            using var step = NewDisposeScope();
            selected[i] = (int)nearest.argmax().item<long>();
            var distances = SquaredDistancesTo(z, norms, selected[i]);
            nearest.copy_(minimum(nearest, distances));
        }
        progress?.Report(1);
        return selected;
    }

    private static Tensor SquaredDistancesTo(Tensor z, Tensor norms, int index) =>
        norms.add(norms[index], Scalars.One).add(z.mv(z[index]), Scalars.MinusTwo);

    private static Tensor Projection(int from, int to, Random random, ComputeDevice device)
    {
        var values = new float[from * to];
        var scale = 1 / Math.Sqrt(to);
        for (var i = 0; i < values.Length; i++) values[i] = (float)(random.NextGaussian() * scale);
        return tensor(values, [from, to], device: device.TorchDevice);
    }

    private static double NextGaussian(this Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
