using FunAd.Engine.MemoryBank;
using FunAd.Engine.Models;

namespace FunAd.Engine.FunAdBank;

/// <summary>
/// How FUN-AD's scores of its own training set clean a memory bank (method funad-bank), and how the
/// bank scores. FUN-AD itself trains with its own options (profile and overrides); these come after.
/// </summary>
public sealed record FunAdBankOptions
{
    /// <summary>Only FUN-AD's scores judge the training images and patches.</summary>
    public const string CleaningFunAd = "funad";

    /// <summary>FUN-AD's scores and each image's distance to the others' features both judge; either one sets an image or patch aside.</summary>
    public const string CleaningBoth = "both";

    /// <summary>Who judges which images and patches leave the bank: "funad" (FUN-AD's scores) or "both" (FUN-AD's and the bank's own, own image left out).</summary>
    public string Cleaning { get; init; } = CleaningBoth;

    /// <summary>
    /// Share of the training images, those judged most anomalous, set aside: none of their features enter the bank.
    /// Most set-aside images score above the label-free threshold (60-83 of 83 on Fashion-MNIST), so the threshold
    /// flags about this share of the training set or more, whatever it holds: the default suits sets with 10-20%
    /// defective images (measured), and a user who expects fewer should lower it (docs/benchmarks.md, "Sets with other
    /// shares of defects").
    /// </summary>
    public double SetAsideShare { get; init; } = 0.15;

    /// <summary>
    /// Defect mode: the images ranked next after the set-aside ones (this share of all images) are suspects:
    /// their patches judged above <see cref="PatchQuantile"/> stay out of the bank, the rest of them stays.
    /// None by default: since training images are judged without their own bank rows, the patches this cut removes
    /// from sets with 10% defects or fewer are mostly rare normal patterns the bank needs (with 0.15, pixel AUROC was
    /// lower on most textures of both protocols; docs/benchmarks.md, "No suspects by default"). A set with many
    /// defects keeps some among the kept images, and there the run dialog's "many" cuts the worst patches of the next 15%.
    /// </summary>
    public double SuspectShare { get; init; }

    /// <summary>
    /// The label-free threshold: this percentile of the kept training images' scores, each against the bank without its
    /// own features; null leaves it to the mode (<see cref="FunAdBankBuilder.ThresholdQuantile"/>: the 95th in defect
    /// mode, the 97th in semantic mode). A set with many defects keeps some among the kept images even after setting
    /// aside a quarter, and they lift a high percentile into their own scores, so the threshold then flagged only
    /// 0.77-0.91 times the true share of sets with 30% defects; the 90th flagged 0.97-1.09 times it (two textures, four
    /// Fashion-MNIST classes; docs/benchmarks.md, "The threshold for sets with many defects").
    /// </summary>
    public double? ThresholdQuantile { get; init; }

    /// <summary>
    /// Defect mode: the weight of FUN-AD's own patch score beside the bank's distance in each patch score (0: the
    /// bank alone; <see cref="FunAdMapBlend"/>). On a regular texture (mudstone) FUN-AD's map finds defects the bank's
    /// misses, and 0.1 lifted image AUROC by 0.75-1.5 points on both protocols and seeds; on irregular ones the change
    /// was -1.3 to +0.9 (docs/benchmarks.md, "FUN-AD's map mixed into the bank's"), so it is off unless a user asks.
    /// </summary>
    public double FunAdMapWeight { get; init; }

    /// <summary>Defect mode: a suspect image's patch judged above this quantile of all training patches stays out of the bank.</summary>
    public double PatchQuantile { get; init; } = 0.95;

    /// <summary>Defect mode: share of the kept patch features the greedy coreset keeps (<see cref="CoresetBank.DefaultRatio"/>, as PatchCore here).</summary>
    public double CoresetRatio { get; init; } = CoresetBank.DefaultRatio;

    /// <summary>The coreset is chosen from every training patch and the judged ones removed from it afterwards.</summary>
    public const string CoresetOfAll = "all";

    /// <summary>The coreset is chosen from the kept patches only, after cleaning (no holes where removed rows stood).</summary>
    public const string CoresetOfKept = "kept";

    /// <summary>
    /// Defect mode: which patches the coreset is chosen from, "all" or "kept". Removing the judged rows from a
    /// coreset of all patches leaves holes where a removed row was the only one covering normal patches nearby.
    /// </summary>
    public string CoresetOf { get; init; } = CoresetOfAll;

    /// <summary>Defect mode: dimensions of the coreset's random projection.</summary>
    public int ProjectionDimension { get; init; } = 128;

    /// <summary>Semantic mode: an image's score is its mean cosine distance to this many nearest bank images (kNN-k).</summary>
    public int Neighbours { get; init; } = 10;

    public void Validate()
    {
        void Require(bool condition, string what)
        {
            if (!condition) throw new ArgumentException($"Invalid funad-bank setting: {what}.");
        }
        Require(Cleaning is CleaningFunAd or CleaningBoth, $"cleaning must be {CleaningFunAd} or {CleaningBoth}");
        Require(SetAsideShare is >= 0 and < 1, "setAsideShare must be in [0, 1)");
        Require(SuspectShare is >= 0 and <= 1, "suspectShare must be in [0, 1]");
        Require(ThresholdQuantile is null or (>= 0.5 and < 1), "thresholdQuantile must be auto or in [0.5, 1)");
        Require(FunAdMapWeight is >= 0 and <= 1, "funAdMapWeight must be in [0, 1]");
        Require(PatchQuantile is > 0 and <= 1, "patchQuantile must be in (0, 1]");
        Require(CoresetRatio is > 0 and <= 1, "coresetRatio must be in (0, 1]");
        Require(CoresetOf is CoresetOfAll or CoresetOfKept, $"coresetOf must be {CoresetOfAll} or {CoresetOfKept}");
        Require(ProjectionDimension is >= 1 and <= 4096, "projectionDimension must be in 1..4096");
        Require(Neighbours is >= 1 and <= 1000, "neighbours must be in 1..1000");
    }

    /// <summary>Applies the "name=value" overrides that name a setting of this record; returns the others.</summary>
    public FunAdBankOptions With(IEnumerable<string> assignments, out IReadOnlyList<string> others)
    {
        var (result, rest) = SettingAssignments.Apply(this, assignments);
        others = rest;
        return result;
    }
}
