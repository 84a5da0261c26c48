using FunAd.Engine.Devices;
using FunAd.Engine.Features;
using FunAd.Engine.Imaging;
using FunAd.Engine.Workflows;

namespace FunAd.Bench.Accuracy;

/// <summary>The engine context every accuracy benchmark runs in: the chosen device, a feature cache in the work folder.</summary>
public static class BenchContext
{
    public static EngineContext Create(BenchOptions options) =>
        new(ComputeDevice.Resolve(DeviceChoice.Auto), new FeatureCache(Path.Combine(options.Work, "features")), DecodeLimits.Default);

    /// <summary>The FUN-AD settings in use, as a header line says them.</summary>
    public static string Describe(BenchOptions options) =>
        $"FUN-AD profile {options.Profile}{(options.Sets.Length > 0 ? " with " + string.Join(", ", options.Sets) : "")}, PatchCore coreset {options.Coreset:P0} in defect mode";
}
