namespace FunAd.Engine.MemoryBank;

/// <summary>
/// How a memory bank scores a feature row. <see cref="L2"/>: the L2 distance to the nearest bank row
/// (PatchCore's patch score). <see cref="Cosine"/>: the mean cosine distance (1 - cosine similarity)
/// to the K nearest rows, bank and queries L2-normalised (kNN-k, the standard semantic yardstick).
/// </summary>
public enum BankMetric
{
    L2,
    Cosine,
}

public static class BankMetricNames
{
    public static string Name(this BankMetric metric) => metric == BankMetric.L2 ? "l2" : "cosine";

    public static BankMetric Parse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "l2" => BankMetric.L2,
        "cosine" => BankMetric.Cosine,
        _ => throw new ArgumentException($"Unknown bank metric '{text}': use l2 or cosine."),
    };
}
