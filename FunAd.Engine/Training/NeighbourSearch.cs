using FunAd.Engine.Devices;
using TorchSharp;
using static TorchSharp.torch;

namespace FunAd.Engine.Training;

/// <summary>The nearest-neighbour searches of one FUN-AD iteration, as chunked matrix products on the device.</summary>
public static class NeighbourSearch
{
    private const int Chunk = 8192;

    /// <summary>
    /// The squared L2 distance from each query to its nearest bank row, except that a nearest distance
    /// below <paramref name="selfMatch"/> counts as the query finding itself and the second is taken (k = 2).
    /// With image ids for the queries and the bank rows, bank rows of the query's own image are skipped
    /// instead (the query itself among them); a query whose image holds the whole bank falls back to the
    /// self-match rule.
    /// </summary>
    public static Tensor NearestDistance(Tensor queries, Tensor bank, double selfMatch, Tensor? queryImages = null, Tensor? bankImages = null)
    {
        var queryNorms = queries.pow(Scalars.Two).sum(1, keepdim: true);
        var excludeOwn = queryImages is not null && bankImages is not null;
        Tensor? best = null;
        Tensor? bestOther = null;
        for (long start = 0; start < bank.shape[0]; start += Chunk)
        {
            var length = Math.Min(Chunk, bank.shape[0] - start);
            var rows = bank.narrow(0, start, length);
            var squared = queryNorms.add(rows.pow(Scalars.Two).sum(1).unsqueeze(0), Scalars.One)
                .add(queries.mm(rows.t()), Scalars.MinusTwo).clamp_min(Scalars.Zero);
            var candidates = best is null ? squared : cat([best, squared], 1);
            best = candidates.topk((int)Math.Min(2, candidates.shape[1]), dim: 1, largest: false, sorted: true).values;
            if (excludeOwn)
            {
                var own = queryImages!.unsqueeze(1).eq(bankImages!.narrow(0, start, length).unsqueeze(0));
                var other = squared.masked_fill(own, Scalars.PositiveInfinity).amin(1);
                bestOther = bestOther is null ? other : minimum(bestOther, other);
            }
        }
        var first = best!.select(1, 0);
        using var threshold = selfMatch.ToScalar();
        var nearest = best.shape[1] < 2 ? first : where(first.lt(threshold), best.select(1, 1), first);
        return bestOther is null ? nearest : where(bestOther.isinf(), nearest, bestOther);
    }

    /// <summary>Pairs (i, j), i &lt; j, of rows that are each other's nearest neighbour.</summary>
    public static (Tensor Left, Tensor Right) MutualPairs(Tensor rows)
    {
        var count = rows.shape[0];
        var norms = rows.pow(Scalars.Two).sum(1);
        var nearest = empty(count, dtype: ScalarType.Int64, device: rows.device);
        for (long start = 0; start < count; start += Chunk)
        {
            var length = Math.Min(Chunk, count - start);
            var block = rows.narrow(0, start, length);
            var squared = norms.narrow(0, start, length).unsqueeze(1).add(norms.unsqueeze(0), Scalars.One).add(block.mm(rows.t()), Scalars.MinusTwo);
            // A row is not its own neighbour.
            squared.diagonal(offset: start).fill_(Scalars.PositiveInfinity);
            nearest.narrow(0, start, length).copy_(squared.argmin(1));
        }
        using var end = count.ToScalar();
        var index = arange(Scalars.Zero, end, Scalars.One, dtype: ScalarType.Int64, device: rows.device);
        var mutual = nearest.index_select(0, nearest).eq(index).logical_and(index.lt(nearest));
        var left = index.masked_select(mutual);
        return (left, nearest.index_select(0, left));
    }
}
