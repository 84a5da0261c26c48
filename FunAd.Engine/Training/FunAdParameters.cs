using System.Globalization;
using System.Reflection;
using FunAd.Engine.FunAdBank;
using FunAd.Engine.Models;

namespace FunAd.Engine.Training;

/// <summary>One setting of FUN-AD as a form shows it: its name, type, value in a profile and what it does.</summary>
public sealed record FunAdParameter(string Name, Type Type, string Value, string Description);

/// <summary>Every FUN-AD and funad-bank setting with a one-line explanation, for the run dialog and the API.</summary>
public static class FunAdParameters
{
    private static readonly Dictionary<string, string> Descriptions = new(StringComparer.Ordinal)
    {
        ["Epochs"] = "Passes over the training set.",
        ["BatchSize"] = "Images per iteration.",
        ["Seed"] = "Random seed: same seed, data and device give the same model.",
        ["LearningRate"] = "RMSProp step size (paper: 2e-5).",
        ["Momentum"] = "RMSProp momentum (paper: 0.2).",
        ["Alpha"] = "RMSProp smoothing of squared gradients (paper: 0.99).",
        ["Epsilon"] = "RMSProp numerical guard (paper: 1e-8).",
        ["TauB"] = "tau_b: images whose normalised score is below this may join the memory bank of likely-normal images.",
        ["SamplingRatio"] = "Share of the bank candidates drawn into the memory bank each rebuild.",
        ["BankRefreshInterval"] = "Iterations between memory-bank rebuilds (1 = every iteration, as the research code).",
        ["BankCap"] = "Most patch features kept in the bank, drawn at random (0 = no cap).",
        ["TauN"] = "tau_n: a patch whose normalised nearest-neighbour distance exceeds this is pseudo-labelled anomalous.",
        ["SelfMatchDistance"] = "Distance under which a patch matched itself, so its second neighbour is used.",
        ["ExcludeOwnImage"] = "Seek a patch's nearest bank feature in other images only (off: only the patch itself is skipped, as the research code).",
        ["TauC"] = "tau_c: upper end of the uncertain band (tau_n, tau_c) whose patches get Gaussian noise.",
        ["Perturbation"] = "Add Gaussian noise to the features of the uncertain band.",
        ["Lambda"] = "Weight of the mutual-smoothness loss between mutual nearest neighbours (paper: 2.5).",
        ["SyntheticAnomalies"] = "Make synthetic defects (Perlin-noise masks) from the training images, labelled anomalous (y_syn).",
        ["SyntheticShare"] = "Synthetic anomalies as a share of the training set (paper: 5%).",
        ["PatchesPerIteration"] = "Patches drawn per iteration for the losses (0 = all; bounds CPU cost).",
        ["ConcatGlobal"] = "Patch feature = concat(global feature, patch feature), as the paper; off uses the patch feature alone.",
        ["Selection"] = "Label-free model selection: final (last epoch) or stable (stop once the likely-normal set settles).",
        ["StableChange"] = "For stable: share of images that may change bank-candidate status between epochs.",
        ["StablePatience"] = "For stable: settled epochs in a row needed to stop.",
        ["CheckpointEvery"] = "Epochs between checkpoints (a killed run resumes from the last one).",
    };

    private static readonly Dictionary<string, string> BankDescriptions = new(StringComparer.Ordinal)
    {
        ["Cleaning"] = "funad-bank: who judges which training images and patches leave the bank: funad (FUN-AD's scores) or both (FUN-AD's, and each image's distance to the other images' features).",
        ["SetAsideShare"] = "funad-bank: share of the training images, those judged most anomalous, kept out of the memory bank; set it near the share of defective images you expect (the default 0.15 suits sets with 10-20%; with 5% defects, 0.05 flagged 7-11% of the images instead of 11-20%).",
        ["SuspectShare"] = "funad-bank, defect mode: share of images, ranked right after the set-aside ones, whose most anomalous patches stay out of the bank (default 0: with 10% defects or fewer those patches are mostly normal variety; 0.15 suits sets with 25% defects or more).",
        ["ThresholdQuantile"] = "funad-bank: the label-free threshold is this percentile of the kept training images' scores; auto: the 95th in defect mode, the 97th in semantic mode (0.9 suits sets with 25% defects or more, where some stay among the kept images).",
        ["FunAdMapWeight"] = "funad-bank, defect mode: weight of FUN-AD's own patch score mixed into the bank's distance, each first put in units of the median and 99th percentile of the kept training images' maps (0 = the bank's distance alone).",
        ["PatchQuantile"] = "funad-bank, defect mode: a suspect image's patches judged above this quantile of all training patches stay out of the bank (1 = keep every patch).",
        ["CoresetRatio"] = "funad-bank, defect mode: share of the kept patch features the bank holds (greedy coreset, as PatchCore).",
        ["CoresetOf"] = "funad-bank, defect mode: which patches the coreset is chosen from: all (every patch, the judged ones removed afterwards) or kept (chosen again from the kept patches, about a minute more on 200 images).",
        ["ProjectionDimension"] = "funad-bank, defect mode: dimensions of the coreset's random projection.",
        ["Neighbours"] = "funad-bank, semantic mode: an image scores its mean cosine distance to this many nearest bank images (kNN-k).",
    };

    /// <summary>The settings of <paramref name="options"/>, in declaration order, names in camelCase as overrides take them.</summary>
    public static IReadOnlyList<FunAdParameter> Describe(FunAdOptions options) => Describe(options, Descriptions, "FUN-AD");

    /// <summary>funad-bank's own settings (its FUN-AD stage takes <see cref="FunAdOptions"/> as well).</summary>
    public static IReadOnlyList<FunAdParameter> Describe(FunAdBankOptions options) => Describe(options, BankDescriptions, AnomalyMethod.FunAdBank);

    private static IReadOnlyList<FunAdParameter> Describe<T>(T options, Dictionary<string, string> descriptions, string owner) =>
        typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite)
            .Select(p => new FunAdParameter(SettingAssignments.Camel(p.Name), p.PropertyType,
                p.GetValue(options) is { } value ? Convert.ToString(value, CultureInfo.InvariantCulture) ?? "" : SettingAssignments.Auto,
                descriptions.TryGetValue(p.Name, out var text) ? text : throw new InvalidOperationException($"{owner} setting {p.Name} has no description.")))
            .ToList();
}
