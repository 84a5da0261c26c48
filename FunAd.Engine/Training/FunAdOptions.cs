using FunAd.Engine.Models;

namespace FunAd.Engine.Training;

/// <summary>
/// Every constant of FUN-AD as a named setting, defaulting to the paper's value (method page
/// sections 2-4). Profiles (<see cref="FunAdProfiles"/>) start from these and relax the costly ones.
/// </summary>
public sealed record FunAdOptions
{
    // Training schedule.
    public int Epochs { get; init; } = 1500;
    public int BatchSize { get; init; } = 32;
    public int Seed { get; init; }

    // RMSProp as in the paper: lr 2e-5, momentum 0.2, alpha 0.99, eps 1e-8.
    public double LearningRate { get; init; } = 2e-5;
    public double Momentum { get; init; } = 0.2;
    public double Alpha { get; init; } = 0.99;
    public double Epsilon { get; init; } = 1e-8;

    // Memory bank of likely-normal images: normalised image score below tau_b, half of them drawn.
    public double TauB { get; init; } = 0.5;
    public double SamplingRatio { get; init; } = 0.5;

    /// <summary>Iterations between memory-bank rebuilds (1 = every iteration, as in the research code).</summary>
    public int BankRefreshInterval { get; init; } = 1;

    /// <summary>Most features kept in the bank, drawn at random (0 = no cap, as in the paper).</summary>
    public int BankCap { get; init; }

    // Pseudo-labels: normalised nearest-neighbour distance above tau_n is anomalous; a distance below
    // the self-match threshold means the patch found itself and the second neighbour is used.
    public double TauN { get; init; } = 0.5;
    public double SelfMatchDistance { get; init; } = 1e-2;

    /// <summary>
    /// (ours) A patch's nearest bank feature is sought in other images only. Off is the research code, where
    /// only the patch itself is skipped, so a defect whose image is in the bank finds its own neighbouring
    /// defect patches and is labelled normal.
    /// </summary>
    public bool ExcludeOwnImage { get; init; }

    /// <summary>Upper end of the uncertain band tau_n &lt; d &lt; tau_c whose patches get Gaussian noise.</summary>
    public double TauC { get; init; } = 0.9;
    public bool Perturbation { get; init; } = true;

    /// <summary>Weight of the mutual-smoothness loss (supplement Table 3: 2.5).</summary>
    public double Lambda { get; init; } = 2.5;

    // Synthetic anomalies made from the training images (supplement Table 5).
    public bool SyntheticAnomalies { get; init; } = true;
    public double SyntheticShare { get; init; } = 0.05;

    /// <summary>
    /// Patches per iteration drawn from the batch for the losses (0 = all B x P, as in the paper).
    /// Bounds the cost of the nearest-neighbour searches on a CPU.
    /// </summary>
    public int PatchesPerIteration { get; init; }

    /// <summary>FUN-AD's patch feature is concat(global feature, patch feature); off uses the patch feature alone.</summary>
    public bool ConcatGlobal { get; init; } = true;

    /// <summary>Label-free model selection: "final" (last epoch) or "stable" (stop once the pseudo-normal set settles).</summary>
    public string Selection { get; init; } = "final";

    /// <summary>For "stable": share of training images that may change bank-candidate status between epochs.</summary>
    public double StableChange { get; init; } = 0.01;

    /// <summary>For "stable": consecutive settled epochs needed (and never before this many epochs in all).</summary>
    public int StablePatience { get; init; } = 3;

    public int CheckpointEvery { get; init; } = 5;

    /// <summary>
    /// Refuses a setting outside its documented range (the ranges below, in the words of the error): the
    /// limits keep a run finite and its numbers meaningful; they are far beyond any useful value.
    /// </summary>
    public void Validate()
    {
        void Require(bool condition, string what)
        {
            if (!condition) throw new ArgumentException($"Invalid FUN-AD setting: {what}.");
        }
        static bool In(double value, double low, double high) => double.IsFinite(value) && value >= low && value <= high;
        Require(Epochs is >= 1 and <= 100_000, "epochs must be in 1..100000");
        Require(BatchSize is >= 2 and <= 4096, "batchSize must be in 2..4096");
        Require(In(LearningRate, 1e-12, 1) && LearningRate > 0, "learningRate must be in (0, 1]");
        Require(In(Momentum, 0, 0.999), "momentum must be in [0, 0.999]");
        Require(In(Alpha, 0, 0.999999), "alpha must be in [0, 0.999999]");
        Require(In(Epsilon, 1e-12, 1), "epsilon must be in [1e-12, 1]");
        Require(In(TauB, 0, 1) && TauB > 0, "tauB must be in (0, 1]");
        Require(In(SamplingRatio, 0, 1) && SamplingRatio > 0, "samplingRatio must be in (0, 1]");
        Require(In(TauN, 0, 1) && In(TauC, 0, 1) && TauN > 0 && TauN < 1 && TauC > TauN, "need 0 < tauN < tauC <= 1");
        Require(In(SelfMatchDistance, 0, 1e6), "selfMatchDistance must be in [0, 1e6]");
        Require(In(Lambda, 0, 1e4), "lambda must be in [0, 10000]");
        Require(BankRefreshInterval is >= 1 and <= 1_000_000, "bankRefreshInterval must be in 1..1000000");
        Require(BankCap is >= 0 and <= 10_000_000, "bankCap must be in 0..10000000 (0 = no cap)");
        Require(PatchesPerIteration is >= 0 and <= 10_000_000, "patchesPerIteration must be in 0..10000000 (0 = all)");
        Require(In(SyntheticShare, 0, 1) && SyntheticShare < 1, "syntheticShare must be in [0, 1)");
        Require(Selection is "final" or "stable", "selection must be final or stable");
        Require(In(StableChange, 0, 1), "stableChange must be in [0, 1]");
        Require(StablePatience is >= 1 and <= 100_000, "stablePatience must be in 1..100000");
        Require(CheckpointEvery is >= 1 and <= 100_000, "checkpointEvery must be in 1..100000");
    }

    /// <summary>Applies "name=value" overrides (property names, case-insensitive), for command lines and job parameters.</summary>
    public FunAdOptions With(IEnumerable<string> assignments)
    {
        var (result, unknown) = SettingAssignments.Apply(this, assignments);
        if (unknown.Count > 0)
            throw new ArgumentException($"Unknown FUN-AD setting '{SettingAssignments.Split(unknown[0]).Name}'; known: {string.Join(", ", SettingAssignments.Names<FunAdOptions>())}.");
        return result;
    }
}
