using System.Diagnostics;
using System.Globalization;
using FunAd.Bench.Data;
using FunAd.Engine.Baselines.PatchCore;
using FunAd.Engine.Datasets;
using FunAd.Engine.Devices;
using FunAd.Engine.Evaluation;
using FunAd.Engine.Features;
using FunAd.Engine.Imaging;
using FunAd.Engine.Models;
using FunAd.Engine.Training;
using FunAd.Engine.Workflows;

namespace FunAd.Bench;

/// <summary>Accuracy of a method (FUN-AD or the memory-bank baseline) on contaminated, unlabeled training sets.</summary>
public static class AccuracyBench
{
    public static void Fashion(BenchOptions options)
    {
        var context = Context(options);
        var train = FashionMnist.Load(FashionMnist.DefaultFolder, train: true);
        var test = FashionMnist.Load(FashionMnist.DefaultFolder, train: false);
        var trainCount = options.Train ?? 550;
        Console.WriteLine($"# Fashion-MNIST one-vs-rest, semantic mode, {Describe(options)}; train {trainCount} images with {options.Contamination:P0} from other classes; test 200 normal + 200 other; {context.Device.Description}");
        Console.WriteLine("class        image-AUROC  train-s");
        var aurocs = new List<double>();
        foreach (var c in options.Classes)
        {
            var root = SemanticSet.Write(train, test, c, trainCount, options.Contamination, 200, 200, options.Seed,
                Path.Combine(options.Work, "fashion", $"{c}-{options.Contamination.ToString(CultureInfo.InvariantCulture)}"));
            var (report, seconds) = TrainAndEvaluate(context, options, ImageFolder.Scan(Path.Combine(root, "train")), root, DetectionMode.Semantic);
            aurocs.Add(report.ImageAuroc);
            Console.WriteLine($"{FashionMnist.ClassNames[c],-12} {100 * report.ImageAuroc,11:F2}  {seconds,7:F1}");
        }
        Console.WriteLine($"{"mean",-12} {100 * aurocs.Average(),11:F2}");
    }

    public static void Textures(BenchOptions options)
    {
        var context = Context(options);
        var textures = TextureSource.Locate(options.Work);
        var trainCount = options.Train ?? 200;
        Console.WriteLine($"# Texture defects (real photographs; stains, scratches, holes, foreign patches), defect mode, {Describe(options)}; train {trainCount} crops 256x256 with {options.Contamination:P0} defective; test 60 good + 60 defective; {context.Device.Description}");
        Console.WriteLine("texture   image-AUROC  pixel-AUROC  AUPRO@0.3  F1-max  train-s");
        var rows = new List<double[]>();
        foreach (var name in options.Textures)
        {
            var t = Array.IndexOf(TextureSource.Names, name);
            if (t < 0) throw new ArgumentException($"Unknown texture '{name}': use {string.Join(", ", TextureSource.Names)}.");
            var foreign = TextureSource.Names[(t + 1) % TextureSource.Names.Length];
            var root = DefectSet.Write(Path.Combine(textures, name + ".png"), Path.Combine(textures, foreign + ".png"),
                Path.Combine(options.Work, "textures", $"{name}-{trainCount}-{options.Contamination.ToString(CultureInfo.InvariantCulture)}"),
                trainCount, options.Contamination, 60, 60, 256, options.Seed + t);
            var (r, seconds) = TrainAndEvaluate(context, options, MvtecLayout.ReadTrainingSet(root), root, DetectionMode.Defect);
            rows.Add([r.ImageAuroc, r.PixelAuroc ?? double.NaN, r.Aupro ?? double.NaN, r.F1Max]);
            Console.WriteLine($"{name,-9} {100 * r.ImageAuroc,11:F2}  {100 * r.PixelAuroc,11:F2}  {100 * r.Aupro,9:F2}  {100 * r.F1Max,6:F2}  {seconds,7:F1}");
        }
        Console.WriteLine($"{"mean",-9} {100 * rows.Average(r => r[0]),11:F2}  {100 * rows.Average(r => r[1]),11:F2}  {100 * rows.Average(r => r[2]),9:F2}  {100 * rows.Average(r => r[3]),6:F2}");
    }

    private static (EvaluationReport Report, double Seconds) TrainAndEvaluate(EngineContext context, BenchOptions options,
        IReadOnlyList<ImageSource> train, string root, DetectionMode mode)
    {
        var model = Path.Combine(root, $"model-{options.Method}");
        if (Directory.Exists(model)) Directory.Delete(model, recursive: true);
        var funAd = FunAdProfiles.Get(options.Profile, mode == DetectionMode.Semantic).With(options.Sets) with { Seed = options.Seed };
        var patchCore = new PatchCoreOptions(mode == DetectionMode.Semantic ? 1 : options.Coreset, Seed: options.Seed);
        var request = new TrainRequest(train, model, options.Method, mode, "resnet18", new FeatureSettings(), patchCore, funAd, options.Profile);
        var watch = Stopwatch.StartNew();
        TrainWorkflow.Run(context, request);
        var seconds = watch.Elapsed.TotalSeconds;
        return (EvalWorkflow.Run(context, model, root), seconds);
    }

    private static string Describe(BenchOptions options) => options.Method == FunAdModel.MethodName
        ? $"FUN-AD profile {options.Profile}{(options.Sets.Length > 0 ? " with " + string.Join(", ", options.Sets) : "")}"
        : $"PatchCore (coreset {options.Coreset:P0} in defect mode, every feature in semantic mode)";

    private static EngineContext Context(BenchOptions options) =>
        new(ComputeDevice.Resolve(DeviceChoice.Auto), new FeatureCache(Path.Combine(options.Work, "features")), DecodeLimits.Default);
}
