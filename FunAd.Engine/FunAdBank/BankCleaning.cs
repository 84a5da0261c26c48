namespace FunAd.Engine.FunAdBank;

/// <summary>
/// The rules by which FUN-AD's scores of its own training set decide what a memory bank keeps. Pure
/// functions on score arrays, so each rule can be checked by hand.
/// </summary>
public static class BankCleaning
{
    /// <summary>
    /// The images to set aside: the <paramref name="share"/> of them with the highest scores (rounded
    /// up), ties broken by position, never all of them (at least one image stays for the bank).
    /// </summary>
    public static bool[] ImagesToSetAside(IReadOnlyList<float> imageScores, double share)
    {
        var count = Math.Min(imageScores.Count - 1, (int)Math.Ceiling(imageScores.Count * share - 1e-9));
        var aside = new bool[imageScores.Count];
        foreach (var i in Enumerable.Range(0, imageScores.Count).OrderByDescending(i => imageScores[i]).ThenBy(i => i).Take(Math.Max(0, count)))
            aside[i] = true;
        return aside;
    }

    /// <summary>
    /// The suspects: the images ranked right after the <paramref name="asideShare"/> set aside, the next
    /// <paramref name="suspectShare"/> of them (both rounded up as in <see cref="ImagesToSetAside"/>).
    /// </summary>
    public static bool[] Suspects(IReadOnlyList<float> imageScores, double asideShare, double suspectShare)
    {
        var aside = ImagesToSetAside(imageScores, asideShare);
        var either = ImagesToSetAside(imageScores, Math.Min(1, asideShare + suspectShare));
        return either.Select((e, i) => e && !aside[i]).ToArray();
    }

    /// <summary>
    /// The patch score above which a patch stays out of the bank: the <paramref name="quantile"/> of all
    /// the patch scores (the nearest-rank value); +infinity at quantile 1, which keeps every patch.
    /// </summary>
    public static float PatchCut(IReadOnlyList<float> patchScores, double quantile)
    {
        if (quantile >= 1 || patchScores.Count == 0) return float.PositiveInfinity;
        return NearestRank(patchScores.Order().ToArray(), quantile);
    }

    /// <summary>The nearest-rank <paramref name="quantile"/> of values already sorted ascending (the smallest value at 0).</summary>
    public static float NearestRank(float[] sorted, double quantile) =>
        sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Length) - 1, 0, sorted.Length - 1)];

    /// <summary>
    /// Two judgements of the same items combined: each value replaced by its rank among its own kind
    /// (ties share their mean rank, scaled to 0..1), and the higher of the two ranks kept. An item that
    /// either judge finds among the most anomalous ranks high.
    /// </summary>
    public static float[] HigherRank(IReadOnlyList<float> first, IReadOnlyList<float> second)
    {
        if (first.Count != second.Count) throw new ArgumentException($"Both judgements must cover the same items ({first.Count} and {second.Count}).");
        var a = Ranks(first);
        var b = Ranks(second);
        return a.Select((r, i) => Math.Max(r, b[i])).ToArray();
    }

    /// <summary>Each value's rank scaled to 0 (lowest) .. 1 (highest); equal values share their mean rank.</summary>
    public static float[] Ranks(IReadOnlyList<float> values)
    {
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ToArray();
        var ranks = new float[values.Count];
        var scale = Math.Max(1, values.Count - 1);
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[start]]) end++;
            var mean = (start + end) / 2f / scale;
            for (var j = start; j <= end; j++) ranks[order[j]] = mean;
            start = end + 1;
        }
        return ranks;
    }
}
