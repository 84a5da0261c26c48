using FunAd.Jobs.Catalogue;

namespace FunAd.Jobs.Scoring;

/// <summary>The production-line split by two thresholds: OK below the lower, review between, NG from the upper up.</summary>
public enum ScoreBand
{
    Ok,
    Review,
    Ng,
}

public static class ScoreBands
{
    public static ScoreBand Of(double score, double low, double high) => score >= high ? ScoreBand.Ng : score >= low ? ScoreBand.Review : ScoreBand.Ok;

    /// <summary>
    /// A run's thresholds: the saved ones, else the suggestion for both; with neither, nothing is NG
    /// (+infinity). The review threshold never ends above the NG one.
    /// </summary>
    public static (double Low, double High) ThresholdsOf(TrainingRun run)
    {
        var high = run.Thresholds.High ?? run.Outcome.SuggestedThreshold ?? double.PositiveInfinity;
        return (Math.Min(run.Thresholds.Low ?? high, high), high);
    }
}
