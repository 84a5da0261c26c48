namespace FunAd.Engine.Models;

/// <summary>
/// The methods a model can be trained with. Their names are a contract: the command line's --method,
/// the API's "method", model.json's "method" and the exported model's funad.method all use them.
/// </summary>
public static class AnomalyMethod
{
    /// <summary>FUN-AD, as the paper: a Local-Net trained on pseudo-labels, scoring with its discriminator.</summary>
    public const string FunAd = "funad";

    /// <summary>FUN-AD trained first, then a memory bank of what it judges normal, scoring by nearest-neighbour distance.</summary>
    public const string FunAdBank = "funad-bank";

    /// <summary>The memory-bank baseline on every training image, contamination included.</summary>
    public const string PatchCore = "patchcore";

    public static IReadOnlyList<string> All { get; } = [FunAdBank, FunAd, PatchCore];

    /// <summary>The method a run uses when none is named: the one that measures best (docs/benchmarks.md).</summary>
    public const string Default = FunAdBank;

    /// <summary>Whether the method trains FUN-AD's Local-Net (and so takes FUN-AD's profile and settings).</summary>
    public static bool TrainsFunAd(string method) => method is FunAd or FunAdBank;

    /// <summary>Whether the method scores by distance to a memory bank.</summary>
    public static bool UsesMemoryBank(string method) => method is FunAdBank or PatchCore;

    /// <summary>The name itself when it is a known method; otherwise an error that lists them.</summary>
    public static string Require(string? method) =>
        method is not null && All.Contains(method)
            ? method
            : throw new ArgumentException($"Unknown method '{method}': use {string.Join(", ", All)}.");
}
