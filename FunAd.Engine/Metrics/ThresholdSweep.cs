namespace FunAd.Engine.Metrics;

/// <summary>
/// Walks ascending-sorted scores from the highest down, one distinct score at a time, giving the
/// cumulative confusion counts for the rule "score &gt;= threshold is anomalous". Tied scores are
/// consumed together so that no metric can split a tie and report a point no threshold achieves.
/// </summary>
internal ref struct ThresholdSweep
{
    private readonly ReadOnlySpan<float> _scores;
    private readonly ReadOnlySpan<bool> _labels;
    private int _remaining;

    public ThresholdSweep(ReadOnlySpan<float> ascendingScores, ReadOnlySpan<bool> labels)
    {
        _scores = ascendingScores;
        _labels = labels;
        _remaining = ascendingScores.Length;
    }

    /// <summary>The current threshold: a score value present in the data.</summary>
    public float Threshold { get; private set; }

    /// <summary>Positives scoring at or above <see cref="Threshold"/>.</summary>
    public long TruePositives { get; private set; }

    /// <summary>Negatives scoring at or above <see cref="Threshold"/>.</summary>
    public long FalsePositives { get; private set; }

    public bool MoveNext()
    {
        if (_remaining == 0)
        {
            return false;
        }

        int i = _remaining - 1;
        float threshold = _scores[i];
        long truePositives = TruePositives;
        long falsePositives = FalsePositives;
        do
        {
            if (_labels[i])
            {
                truePositives++;
            }
            else
            {
                falsePositives++;
            }

            i--;
        }
        while (i >= 0 && _scores[i] == threshold);

        _remaining = i + 1;
        Threshold = threshold;
        TruePositives = truePositives;
        FalsePositives = falsePositives;
        return true;
    }
}
