using FunAd.Engine.Baselines.PatchCore;
using FunAd.Engine.FunAdBank;
using FunAd.Engine.MemoryBank;
using FunAd.Engine.Models;
using FunAd.Engine.Training;

namespace FunAd.Engine.Workflows;

/// <summary>
/// A method's complete settings, resolved from a profile and "name=value" overrides: the one place the
/// command line, the jobs and the benchmarks turn a user's choice into options. FUN-AD's options apply
/// to funad and funad-bank; funad-bank's own settings (setAsideShare, suspectShare, patchQuantile, coresetRatio,
/// neighbours...) are taken first and the rest go to FUN-AD.
/// </summary>
public sealed record MethodSettings(string Method, FunAdOptions? FunAd, FunAdBankOptions? Bank, PatchCoreOptions PatchCore)
{
    public static MethodSettings Resolve(string method, string profile, DetectionMode mode, IReadOnlyCollection<string> overrides, int seed,
        double coresetRatio = CoresetBank.DefaultRatio)
    {
        AnomalyMethod.Require(method);
        var semantic = mode == DetectionMode.Semantic;
        // PatchCore keeps every feature in semantic mode (one per image: no coreset needed).
        var patchCore = new PatchCoreOptions(semantic ? 1 : coresetRatio, Seed: seed);
        patchCore.Validate();
        if (method == AnomalyMethod.PatchCore)
        {
            if (overrides.Count > 0)
                throw new ArgumentException($"PatchCore takes no settings besides its coreset ratio; '{SettingAssignments.Split(overrides.First()).Name}' is a FUN-AD setting.");
            return new MethodSettings(method, null, null, patchCore);
        }
        var rest = overrides.ToList();
        FunAdBankOptions? bank = null;
        if (method == AnomalyMethod.FunAdBank)
        {
            bank = new FunAdBankOptions { CoresetRatio = coresetRatio }.With(overrides, out var others);
            rest = [.. others];
            bank.Validate();
        }
        var funAd = FunAdProfiles.Get(profile, semantic).With(rest) with { Seed = seed };
        funAd.Validate();
        return new MethodSettings(method, funAd, bank, patchCore);
    }
}
