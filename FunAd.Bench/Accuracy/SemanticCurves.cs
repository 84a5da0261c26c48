using System.Globalization;
using FunAd.Engine.Backbones;
using FunAd.Engine.Datasets;
using FunAd.Engine.Features;
using FunAd.Engine.Metrics;
using FunAd.Engine.Models;
using FunAd.Engine.Training;
using FunAd.Engine.Workflows;
using static TorchSharp.torch;

namespace FunAd.Bench.Accuracy;

/// <summary>
/// FUN-AD's test AUROC after every epoch of a semantic run (the benchmark looks, the run does not:
/// the kept epoch is still the profile's label-free choice), to show whether the result depends on
/// where training happens to stop. Prints a line per class and writes every epoch to a CSV file. The
/// label-free rule's kept epoch is the last one run: "final" runs them all, "stable" stops where it keeps.
/// </summary>
public static class SemanticCurves
{
    public static void Print(EngineContext context, BenchOptions options, string root, int seed, string name)
    {
        using var extractor = BackboneCatalog.Open(BackboneCatalog.Default, context.Device);
        var info = extractor.Info;
        var layout = new PatchFeatureLayout(DetectionMode.Semantic, false, info.Grid, info.PatchDim, info.GlobalDim);
        var train = context.ExtractFeatures(extractor, new FeatureSettings(), MvtecLayout.ReadTrainingSet(root), null, default);
        var labelled = MvtecLayout.ReadTestSet(root);
        var testRun = context.ExtractFeatures(extractor, new FeatureSettings(), labelled.Select(l => l.Source).ToList(), null, default);
        var truth = labelled.ToDictionary(l => l.Source.Path, l => l.IsAnomalous);
        var labels = testRun.Images.Select(i => truth[i.Source.Path]).ToArray();
        var funAd = FunAdProfiles.Get(options.Profile, semantic: true).With(options.Sets) with { Seed = seed, CheckpointEvery = 1 };

        using var data = TrainingSet.Build(train.Images.Select(i => i.Features).ToList(), [], layout, context.Device);
        using var test = tensor(layout.Pack(testRun.Images.Select(i => i.Features).ToList()), [testRun.Images.Count, 1, layout.Dimension], device: context.Device.TorchDevice);
        var result = new FunAdTrainer(funAd, context.Device).Train(data, null, "curves", validation: net => Auroc.Compute(FunAdTrainer.ImageScores(net, test, labels.Length, 1), labels));
        result.Net.Dispose();

        var curve = result.History.Select(h => h.ValidationScore ?? double.NaN).ToArray();
        var csv = Path.Combine(options.Work, "curves", $"{name}-s{seed}-{options.Profile}{string.Concat(options.Sets.Select(s => "-" + s))}.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(csv)!);
        File.WriteAllLines(csv, ["epoch,test_auroc,anomalous_share,candidate_change", .. result.History.Select(h =>
            string.Create(CultureInfo.InvariantCulture, $"{h.Epoch + 1},{h.ValidationScore:F4},{h.AnomalousShare:F4},{h.CandidateChange:F4}"))]);
        var marks = new[] { 0.1, 0.25, 0.5, 0.75 }.Select(f => (int)Math.Ceiling(f * funAd.Epochs) - 1).Where(e => e < curve.Length).ToArray();
        var secondHalf = curve.Skip(curve.Length / 2).ToArray();
        Console.WriteLine($"  curve {name}: " + string.Join("  ", marks.Select(e => $"ep{e + 1} {100 * curve[e]:F1}")) +
                          $"  kept ep{curve.Length} {100 * curve[^1]:F1}  second half {100 * secondHalf.Min():F1}..{100 * secondHalf.Max():F1}  ({csv})");
    }
}
