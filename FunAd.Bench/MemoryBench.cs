using System.Diagnostics;
using FunAd.Bench.Data;
using FunAd.Engine.Baselines.PatchCore;
using FunAd.Engine.Datasets;
using FunAd.Engine.Devices;
using FunAd.Engine.Features;
using FunAd.Engine.Imaging;
using FunAd.Engine.Models;
using FunAd.Engine.Training;
using FunAd.Engine.Workflows;

namespace FunAd.Bench;

/// <summary>
/// Whether FUN-AD training holds its memory flat: the process's resident memory, sampled through
/// training (native tensors included), printed at each tenth of the run.
/// </summary>
public static class MemoryBench
{
    public static void Run(BenchOptions options)
    {
        var context = new EngineContext(ComputeDevice.Resolve(DeviceChoice.Auto), new FeatureCache(Path.Combine(options.Work, "features")), DecodeLimits.Default);
        var root = DefectSet.Write(TextureSource.Locate(options.Work, "brick"), TextureSource.Locate(options.Work, "grass"), Path.Combine(options.Work, "memory-brick"),
            options.Train ?? 200, options.Contamination, 2, 2, 256, options.Seed);
        var funAd = FunAdProfiles.Get(options.Profile, semantic: false).With(options.Sets) with { Seed = options.Seed };
        Console.WriteLine($"# memory: FUN-AD profile {options.Profile}, {funAd.Epochs} epochs on {options.Train ?? 200} brick crops; resident memory (MiB) at each tenth of training");
        var model = Path.Combine(root, "model");
        var request = new TrainRequest(MvtecLayout.ReadTrainingSet(root), model, AnomalyMethod.FunAd, DetectionMode.Defect, "resnet18",
            new FeatureSettings(), new PatchCoreOptions(), funAd, options.Profile);
        var nextTenth = 1;
        var process = Process.GetCurrentProcess();
        var progress = new InlineProgress<StageProgress>(p =>
        {
            if (p.Stage != "training" || p.Fraction < nextTenth / 10.0) return;
            process.Refresh();
            Console.WriteLine($"{nextTenth * 10,4}%  {process.WorkingSet64 / (1024 * 1024),7} MiB  ({p.Detail})");
            nextTenth++;
        });
        TrainWorkflow.Run(context, request, progress);
    }
}
