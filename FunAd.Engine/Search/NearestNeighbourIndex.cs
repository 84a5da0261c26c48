using FunAd.Engine.Devices;
using TorchSharp;
using static TorchSharp.torch;

namespace FunAd.Engine.Search;

/// <summary>
/// Exact nearest-neighbour distances (L2) from queries to a fixed set of vectors, with batched
/// matrix products on the device: |q|^2 + |b|^2 - 2 q.b, the bank taken in chunks so memory
/// stays bounded whatever its size.
/// </summary>
public sealed class NearestNeighbourIndex : IDisposable
{
    private const int ChunkRows = 8192;
    private readonly Tensor _bank;
    private readonly Tensor _bankNorms;
    private readonly ComputeDevice _device;

    public NearestNeighbourIndex(float[] vectors, int dimension, ComputeDevice device)
    {
        if (dimension <= 0 || vectors.Length == 0 || vectors.Length % dimension != 0)
            throw new ArgumentException($"Expected a non-empty set of {dimension}-dimensional vectors.", nameof(vectors));
        _device = device;
        Dimension = dimension;
        Count = vectors.Length / dimension;
        _bank = tensor(vectors, [Count, dimension], device: device.TorchDevice);
        _bankNorms = _bank.pow(2).sum(1);
    }

    public int Dimension { get; }
    public int Count { get; }

    /// <summary>The distance from each of the queries (rows of <paramref name="queries"/>) to its nearest vector.</summary>
    public float[] NearestDistances(ReadOnlySpan<float> queries)
    {
        var count = queries.Length / Dimension;
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var q = tensor(queries.ToArray(), [count, Dimension], device: _device.TorchDevice);
        var queryNorms = q.pow(2).sum(1, keepdim: true);
        Tensor? best = null;
        for (var start = 0; start < Count; start += ChunkRows)
        {
            var length = Math.Min(ChunkRows, Count - start);
            var chunk = _bank.narrow(0, start, length);
            var squared = queryNorms + _bankNorms.narrow(0, start, length).unsqueeze(0) - 2 * q.mm(chunk.t());
            var chunkBest = squared.amin(1);
            best = best is null ? chunkBest : minimum(best, chunkBest);
        }
        return best!.clamp_min(0).sqrt().cpu().data<float>().ToArray();
    }

    public void Dispose()
    {
        _bank.Dispose();
        _bankNorms.Dispose();
    }
}
