namespace FunAd.Engine.Metrics;

/// <summary>
/// Scores paired with ground-truth labels (true = anomalous), validated and sorted ascending once
/// so that every threshold metric can walk them from the top with <see cref="ThresholdSweep"/>.
/// </summary>
internal sealed class LabeledScores
{
    private LabeledScores(float[] scores, bool[] labels)
    {
        // Sorting in place with the labels riding along keeps memory at one copy of the scores
        // (plus a quarter for the labels), which matters for pooled pixel scores.
        Array.Sort(scores, labels);
        Scores = scores;
        Labels = labels;
        Positives = labels.AsSpan().Count(true);
    }

    /// <summary>Scores in ascending order.</summary>
    public float[] Scores { get; }

    /// <summary>Labels aligned with <see cref="Scores"/>.</summary>
    public bool[] Labels { get; }

    public long Positives { get; }

    public long Negatives => Scores.Length - Positives;

    public static LabeledScores From(ReadOnlySpan<float> scores, ReadOnlySpan<bool> labels)
    {
        MetricInputs.EnsureSameLength(scores.Length, labels.Length, nameof(labels));
        MetricInputs.EnsureNoNaN(scores, nameof(scores));
        return new LabeledScores(scores.ToArray(), labels.ToArray());
    }

    /// <summary>All pixels of all images in one set, as pixel-level metrics pool them.</summary>
    public static LabeledScores Pool(IReadOnlyList<float[]> maps, IReadOnlyList<bool[]> masks)
    {
        int total = MetricInputs.PooledPixelCount(maps, masks);
        var scores = new float[total];
        var labels = new bool[total];
        int offset = 0;
        for (int i = 0; i < maps.Count; i++)
        {
            maps[i].CopyTo(scores, offset);
            masks[i].CopyTo(labels, offset);
            offset += maps[i].Length;
        }

        return new LabeledScores(scores, labels);
    }

    public ThresholdSweep Sweep() => new(Scores, Labels);

    public void RequirePositives(string metric, string labelsParamName)
    {
        if (Positives == 0)
        {
            throw new ArgumentException(
                $"{labelsParamName} contains no positive (anomalous) samples, so {metric} is undefined.", labelsParamName);
        }
    }

    public void RequireNegatives(string metric, string labelsParamName)
    {
        if (Negatives == 0)
        {
            throw new ArgumentException(
                $"{labelsParamName} contains no negative (normal) samples, so {metric} is undefined.", labelsParamName);
        }
    }
}
