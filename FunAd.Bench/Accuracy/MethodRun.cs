using System.Diagnostics;
using System.Globalization;
using FunAd.Engine.Datasets;
using FunAd.Engine.Evaluation;
using FunAd.Engine.Features;
using FunAd.Engine.FunAdBank;
using FunAd.Engine.Inference;
using FunAd.Engine.Metrics;
using FunAd.Engine.Models;
using FunAd.Engine.Workflows;

namespace FunAd.Bench.Accuracy;

/// <summary>
/// One method trained on a benchmark set and measured as a user would meet it: accuracy on the
/// held-out test set, and the share of images its own label-free threshold flags, on the test set and
/// on the (contaminated) training set, beside the true defect shares; for funad-bank, how many of the
/// training set's hidden defective images it set aside (HiddenCaught; null for the other methods).
/// TrainAuroc is the image AUROC on the training set itself against its hidden truth: "find the
/// defects in this set", the app's in-sample run (memory banks score each training image without its own rows).
/// </summary>
public sealed record MethodResult(string Method, EvaluationReport Report, double Seconds, double Threshold, double FlaggedTest, double TrueTest,
    double FlaggedTrain, double TrueTrain, double TrainAuroc, int? HiddenCaught = null);

public static class MethodRun
{
    /// <summary>
    /// Benchmark-only: PatchCore trained on the truly normal training images alone (the truth file
    /// knows them; a user does not). No cleaning of a contaminated bank can do better than this bank,
    /// so it is the ceiling the cleaning methods are measured against.
    /// </summary>
    public const string CleanBankCeiling = "patchcore-clean";

    public static MethodResult Train(EngineContext context, BenchOptions options, string method, string root, DetectionMode mode, int seed)
    {
        var model = Path.Combine(root, $"model-{method}");
        if (Directory.Exists(model)) Directory.Delete(model, recursive: true);
        var train = MvtecLayout.ReadTrainingSet(root);
        var truth = File.ReadLines(Path.Combine(root, "train-truth.csv")).Skip(1).Select(l => l.Split(','))
            .ToDictionary(p => p[0], p => p[1] == "1");
        bool Hidden(string name) => truth.GetValueOrDefault(Path.GetFileName(name));
        var ceiling = method == CleanBankCeiling;
        var engineMethod = ceiling ? AnomalyMethod.PatchCore : method;
        // --set reaches the methods that take settings; PatchCore has its coreset ratio only.
        var settings = MethodSettings.Resolve(engineMethod, options.Profile, mode, AnomalyMethod.TrainsFunAd(engineMethod) ? options.Sets : [], seed, options.Coreset);
        var request = new TrainRequest(ceiling ? train.Where(t => !Hidden(t.Name)).ToList() : train, model, engineMethod, mode, "resnet18",
            new FeatureSettings(), settings.PatchCore, settings.FunAd, options.Profile, Bank: settings.Bank);
        var watch = Stopwatch.StartNew();
        TrainWorkflow.Run(context, request);
        var seconds = watch.Elapsed.TotalSeconds;
        var report = EvalWorkflow.Run(context, model, root);

        var test = MvtecLayout.ReadTestSet(root);
        using var loaded = ModelDirectory.Load(model, context.Device);
        int? caught = method == AnomalyMethod.FunAdBank ? SetAsideImage.ReadFrom(loaded.Manifest).Count(a => Hidden(a.Name)) : null;
        using var scorer = OnnxAnomalyScorer.Open(loaded, context.Device);
        var pipeline = new ScoringPipeline(scorer, new FeatureSettings(loaded.Manifest.CenterCrop), context.Limits);
        var testScores = pipeline.Run(test.Select(t => t.Source).ToList()).Images.Select(i => i.Score).ToList();
        var trainScored = pipeline.Run(train).Images;
        var trainScores = trainScored.Select(i => i.Score).ToList();
        var trainAuroc = Auroc.Compute(trainScores.ToArray(), trainScored.Select(i => Hidden(i.Source.Name)).ToArray());
        // Every image's score beside its truth, so threshold rules can be compared afterwards without retraining.
        File.WriteAllLines(Path.Combine(root, $"scores-{method}.csv"), ["set,name,score,anomalous", ..
            trainScored.Select(i => $"train,{Path.GetRelativePath(root, i.Source.Path)},{i.Score.ToString("R", CultureInfo.InvariantCulture)},{(Hidden(i.Source.Name) ? 1 : 0)}"),
            .. test.Zip(testScores).Select(p => $"test,{Path.GetRelativePath(root, p.First.Source.Path)},{p.Second.ToString("R", CultureInfo.InvariantCulture)},{(p.First.IsAnomalous ? 1 : 0)}")]);
        // As the app does: the model's own threshold, or a label-free one from the scores of the set it is shown on.
        double ThresholdFor(List<float> scores) => loaded.Manifest.Threshold ?? LabelFreeThreshold.Suggest(scores).Threshold;
        var testThreshold = ThresholdFor(testScores);
        var trainThreshold = ThresholdFor(trainScores);
        return new MethodResult(method, report, seconds, loaded.Manifest.Threshold ?? double.NaN,
            testScores.Count(s => s >= testThreshold) / (double)testScores.Count, test.Count(t => t.IsAnomalous) / (double)test.Count,
            trainScores.Count(s => s >= trainThreshold) / (double)trainScores.Count, truth.Values.Count(v => v) / (double)truth.Count, trainAuroc, caught);
    }
}
