using FunAd.Engine.Devices;
using FunAd.Engine.MemoryBank;
using TorchSharp;
using static TorchSharp.torch;

namespace FunAd.Engine.Search;

/// <summary>
/// Exact k-nearest-neighbour scores from queries to a fixed set of vectors, with batched matrix
/// products on the device, the bank taken in chunks so memory stays bounded whatever its size.
/// L2: the mean L2 distance to the k nearest (|q|^2 + |b|^2 - 2 q.b). Cosine: the mean of
/// 1 - cos(q, b) over the k most similar, queries and bank L2-normalised.
/// </summary>
public sealed class NearestNeighbourIndex : IDisposable
{
    private const int ChunkRows = 8192;
    private readonly Tensor _bank;
    private readonly Tensor _bankNorms;
    private readonly ComputeDevice _device;

    public NearestNeighbourIndex(float[] vectors, int dimension, ComputeDevice device, BankMetric metric = BankMetric.L2, int k = 1)
    {
        if (dimension <= 0 || vectors.Length == 0 || vectors.Length % dimension != 0)
            throw new ArgumentException($"Expected a non-empty set of {dimension}-dimensional vectors.", nameof(vectors));
        _device = device;
        Dimension = dimension;
        Count = vectors.Length / dimension;
        if (k < 1 || k > Count) throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be in 1..{Count} (the bank's size).");
        Metric = metric;
        K = k;
        using var scope = NewDisposeScope();
        var bank = tensor(vectors, [Count, dimension], device: device.TorchDevice);
        if (metric == BankMetric.Cosine) bank = Normalised(bank);
        _bank = bank.MoveToOuterDisposeScope();
        _bankNorms = _bank.pow(Scalars.Two).sum(1).MoveToOuterDisposeScope();
    }

    public int Dimension { get; }
    public int Count { get; }
    public BankMetric Metric { get; }
    public int K { get; }

    /// <summary>Each query's score (rows of <paramref name="queries"/>): its mean distance to its K nearest vectors.</summary>
    public float[] Scores(ReadOnlySpan<float> queries)
    {
        var count = queries.Length / Dimension;
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var q = tensor(queries.ToArray(), [count, Dimension], device: _device.TorchDevice);
        return Scores(q).cpu().data<float>().ToArray();
    }

    /// <summary>
    /// The same for queries already on the device, [count, Dimension]. Bank rows where
    /// <paramref name="excluded"/> ([Count], bool) is true are not searched: a training image scored
    /// without its own features, as a new image of its kind would be.
    /// </summary>
    public Tensor Scores(Tensor queries, Tensor? excluded = null)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        // Smallest-is-nearest keys per chunk: squared L2 distances, or negated similarities.
        var q = Metric == BankMetric.Cosine ? Normalised(queries) : queries;
        var queryNorms = q.pow(Scalars.Two).sum(1, keepdim: true);
        Tensor? best = null;
        for (var start = 0; start < Count; start += ChunkRows)
        {
            var length = Math.Min(ChunkRows, Count - start);
            var chunk = _bank.narrow(0, start, length);
            var keys = Metric == BankMetric.Cosine
                ? -q.mm(chunk.t())
                : queryNorms.add(_bankNorms.narrow(0, start, length).unsqueeze(0), Scalars.One).add(q.mm(chunk.t()), Scalars.MinusTwo);
            if (excluded is not null) keys = keys.masked_fill(excluded.narrow(0, start, length).unsqueeze(0), Scalars.PositiveInfinity);
            var candidates = best is null ? keys : cat([best, keys], 1);
            best = candidates.topk(Math.Min(K, (int)candidates.shape[1]), dim: 1, largest: false).values;
        }
        var distances = Metric == BankMetric.Cosine ? best!.add(Scalars.One, Scalars.One) : best!.clamp_min(Scalars.Zero).sqrt();
        return distances.mean([1]).MoveToOuterDisposeScope();
    }

    /// <summary>The bank's rows as searched (normalised for <see cref="BankMetric.Cosine"/>).</summary>
    public float[] Rows() => HostCopy.Of(_bank).Values;

    /// <summary>Rows divided by their L2 norm (a zero row stays zero).</summary>
    public static Tensor Normalised(Tensor rows)
    {
        using var floor = 1e-12.ToScalar();
        return rows / rows.norm(1, keepdim: true).clamp_min(floor);
    }

    public void Dispose()
    {
        _bank.Dispose();
        _bankNorms.Dispose();
    }
}
