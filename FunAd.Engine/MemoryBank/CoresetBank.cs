using System.Globalization;
using FunAd.Engine.Devices;
using FunAd.Engine.Models;
using FunAd.Engine.Search;

namespace FunAd.Engine.MemoryBank;

/// <summary>
/// PatchCore's bank from a set of feature rows: the greedy k-center coreset keeps the given share of
/// them (all of them at ratio 1), so the bank covers the rows' spread at a fraction of the search cost.
/// </summary>
public static class CoresetBank
{
    /// <summary>
    /// The share of patch features a bank keeps unless told otherwise (PatchCore's and funad-bank's).
    /// PatchCore's paper uses 0.1; 0.05 halves the coreset's time and, on the eight benchmark textures,
    /// scored images as well or better (image AUROC +1.2 on average, pixel -0.3; docs/benchmarks.md).
    /// </summary>
    public const double DefaultRatio = 0.05;

    /// <summary>
    /// The bank's rows, and for each the index of the input row it is. Progress says how many rows are
    /// chosen so far ("12,000 of 26,656 patches chosen from 266,560"), from 0 when the stage starts;
    /// <paramref name="rowNoun"/> names the rows (patches, or image features in semantic mode).
    /// </summary>
    public static (float[] Bank, int[] Chosen) Select(float[] rows, int dimension, double ratio, int projectionDimension, int seed, ComputeDevice device,
        IProgress<StageProgress>? progress, CancellationToken cancellation, string rowNoun = "features")
    {
        var total = rows.Length / dimension;
        var keep = Math.Max(1, (int)Math.Ceiling(total * ratio));
        if (keep >= total) return (rows, Enumerable.Range(0, total).ToArray());
        progress?.Report(new StageProgress(Stages.Coreset, 0, Describe(0, keep, total, rowNoun)));
        var coresetProgress = progress is null
            ? null
            : new InlineProgress<double>(f => progress.Report(new StageProgress(Stages.Coreset, f, Describe((int)Math.Round(f * keep), keep, total, rowNoun))));
        var chosen = GreedyCoreset.Select(rows, dimension, keep, projectionDimension, seed, device, coresetProgress, cancellation);
        return (FeatureRows.Gather(rows, chosen, dimension), chosen);
    }

    /// <summary>The progress line of the coreset stage: how many of the rows to keep are chosen, out of how many.</summary>
    public static string Describe(int chosen, int keep, int total, string rowNoun) =>
        string.Create(CultureInfo.InvariantCulture, $"{chosen:N0} of {keep:N0} {rowNoun} chosen from {total:N0}");
}
