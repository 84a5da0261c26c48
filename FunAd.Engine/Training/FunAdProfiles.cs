namespace FunAd.Engine.Training;

/// <summary>
/// Named starting points. <c>paper</c> is the paper's schedule (a GPU budget). <c>fast</c> is the CPU
/// default: the relaxations the method page allows, chosen by measurement (docs/benchmarks.md).
/// </summary>
public static class FunAdProfiles
{
    public const string Paper = "paper";
    public const string Fast = "fast";

    public static FunAdOptions Get(string name, bool semantic) => name.ToLowerInvariant() switch
    {
        Paper => new FunAdOptions { SyntheticAnomalies = !semantic },
        Fast => semantic ? FastSemantic : FastDefect,
        _ => throw new ArgumentException($"Unknown profile '{name}': use fast or paper."),
    };

    /// <summary>One feature per image: the exact per-iteration algorithm is cheap, so only the schedule shrinks.</summary>
    private static FunAdOptions FastSemantic => new()
    {
        Epochs = 300,
        LearningRate = 1e-4,
        SyntheticAnomalies = false,
        CheckpointEvery = 50,
    };

    /// <summary>Patch grids: bound the nearest-neighbour work per iteration and rebuild the bank once per epoch.</summary>
    private static FunAdOptions FastDefect => new()
    {
        Epochs = 60,
        LearningRate = 1e-4,
        BankRefreshInterval = 8,
        BankCap = 16384,
        PatchesPerIteration = 4096,
        CheckpointEvery = 5,
    };
}
