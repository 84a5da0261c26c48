using System.Diagnostics;
using System.Globalization;
using FunAd.Bench.Data;
using FunAd.Engine.Baselines.PatchCore;
using FunAd.Engine.Datasets;
using FunAd.Engine.Devices;
using FunAd.Engine.Features;
using FunAd.Engine.Imaging;
using FunAd.Engine.Models;
using FunAd.Engine.Workflows;

namespace FunAd.Bench;

/// <summary>Accuracy of the memory-bank baseline on contaminated, unlabeled training sets.</summary>
public static class AccuracyBench
{
    public static void Fashion(BenchOptions options)
    {
        var context = Context(options);
        var train = FashionMnist.Load(FashionMnist.DefaultFolder, train: true);
        var test = FashionMnist.Load(FashionMnist.DefaultFolder, train: false);
        var trainCount = options.Train ?? 550;
        Console.WriteLine($"# Fashion-MNIST one-vs-rest, semantic mode, PatchCore on global features; train {trainCount} images with {options.Contamination:P0} from other classes; test 200 normal + 200 other; {context.Device.Description}");
        Console.WriteLine("class        image-AUROC  train-s");
        var aurocs = new List<double>();
        foreach (var c in options.Classes)
        {
            var root = SemanticSet.Write(train, test, c, trainCount, options.Contamination, 200, 200, options.Seed, Path.Combine(options.Work, "fashion", c.ToString(CultureInfo.InvariantCulture)));
            var watch = Stopwatch.StartNew();
            var request = new TrainRequest(ImageFolder.Scan(Path.Combine(root, "train")), Path.Combine(root, "model"), PatchCoreModel.MethodName,
                DetectionMode.Semantic, "resnet18", new FeatureSettings(), new PatchCoreOptions(CoresetRatio: 1, Seed: options.Seed));
            TrainWorkflow.Run(context, request);
            var seconds = watch.Elapsed.TotalSeconds;
            var report = EvalWorkflow.Run(context, request.OutputDirectory, root);
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
        Console.WriteLine($"# Texture defects (brick, grass, gravel photographs; stains, scratches, holes, foreign patches), defect mode, PatchCore coreset {options.Coreset:P0}; train {trainCount} crops 256x256 with {options.Contamination:P0} defective; test 60 good + 60 defective; {context.Device.Description}");
        Console.WriteLine("texture   image-AUROC  pixel-AUROC  AUPRO@0.3  F1-max  train-s");
        var rows = new List<double[]>();
        for (var t = 0; t < TextureSource.Names.Length; t++)
        {
            var name = TextureSource.Names[t];
            var foreign = TextureSource.Names[(t + 1) % TextureSource.Names.Length];
            var root = DefectSet.Write(Path.Combine(textures, name + ".png"), Path.Combine(textures, foreign + ".png"),
                Path.Combine(options.Work, "textures", name), trainCount, options.Contamination, 60, 60, 256, options.Seed + t);
            var watch = Stopwatch.StartNew();
            var request = new TrainRequest(MvtecLayout.ReadTrainingSet(root), Path.Combine(root, "model"), PatchCoreModel.MethodName,
                DetectionMode.Defect, "resnet18", new FeatureSettings(), new PatchCoreOptions(options.Coreset, Seed: options.Seed));
            TrainWorkflow.Run(context, request);
            var seconds = watch.Elapsed.TotalSeconds;
            var r = EvalWorkflow.Run(context, request.OutputDirectory, root);
            rows.Add([r.ImageAuroc, r.PixelAuroc ?? double.NaN, r.Aupro ?? double.NaN, r.F1Max]);
            Console.WriteLine($"{name,-9} {100 * r.ImageAuroc,11:F2}  {100 * r.PixelAuroc,11:F2}  {100 * r.Aupro,9:F2}  {100 * r.F1Max,6:F2}  {seconds,7:F1}");
        }
        Console.WriteLine($"{"mean",-9} {100 * rows.Average(r => r[0]),11:F2}  {100 * rows.Average(r => r[1]),11:F2}  {100 * rows.Average(r => r[2]),9:F2}  {100 * rows.Average(r => r[3]),6:F2}");
    }

    private static EngineContext Context(BenchOptions options) =>
        new(ComputeDevice.Resolve(DeviceChoice.Auto), new FeatureCache(Path.Combine(options.Work, "features")), DecodeLimits.Default);
}
