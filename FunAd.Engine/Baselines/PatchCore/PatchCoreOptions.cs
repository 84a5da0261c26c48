using FunAd.Engine.MemoryBank;

namespace FunAd.Engine.Baselines.PatchCore;

/// <summary>
/// PatchCore settings. CoresetRatio is the share of training patch features kept in the memory
/// bank (<see cref="CoresetBank.DefaultRatio"/> unless told; the paper's 10% is the usual choice); 1 keeps every feature.
/// </summary>
public sealed record PatchCoreOptions(double CoresetRatio = CoresetBank.DefaultRatio, int ProjectionDimension = 128, int Seed = 0)
{
    public void Validate()
    {
        if (CoresetRatio is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(CoresetRatio), CoresetRatio, "The coreset ratio must be in (0, 1].");
        if (ProjectionDimension < 1) throw new ArgumentOutOfRangeException(nameof(ProjectionDimension), ProjectionDimension, "The projection must keep at least one dimension.");
    }
}
