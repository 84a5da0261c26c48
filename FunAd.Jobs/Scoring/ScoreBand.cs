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
}
