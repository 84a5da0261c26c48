using System.Diagnostics;
using FunAd.Engine.Datasets;
using FunAd.Engine.Evaluation;
using FunAd.Engine.Features;
using FunAd.Engine.Inference;
using FunAd.Engine.Metrics;
using FunAd.Engine.Models;
using FunAd.Engine.Workflows;

namespace FunAd.Bench.Accuracy;

/// <summary>
/// One method trained on a benchmark set and measured as a user would meet it: accuracy on the
/// held-out test set, and the share of images its own label-free threshold flags, on the test set and
/// on the (contaminated) training set, beside the true defect shares.
/// </summary>
public sealed record MethodResult(string Method, EvaluationReport Report, double Seconds, double Threshold, double FlaggedTest, double TrueTest,
    double FlaggedTrain, double TrueTrain);

public static class MethodRun
{
    public static MethodResult Train(EngineContext context, BenchOptions options, string method, string root, DetectionMode mode, int seed)
    {
        var model = Path.Combine(root, $"model-{method}");
        if (Directory.Exists(model)) Directory.Delete(model, recursive: true);
        var train = MvtecLayout.ReadTrainingSet(root);
        // --set reaches the methods that take settings; PatchCore has its coreset ratio only.
        var settings = MethodSettings.Resolve(method, options.Profile, mode, AnomalyMethod.TrainsFunAd(method) ? options.Sets : [], seed, options.Coreset);
        var request = new TrainRequest(train, model, method, mode, "resnet18", new FeatureSettings(), settings.PatchCore, settings.FunAd, options.Profile,
            Bank: settings.Bank);
        var watch = Stopwatch.StartNew();
        TrainWorkflow.Run(context, request);
        var seconds = watch.Elapsed.TotalSeconds;
        var report = EvalWorkflow.Run(context, model, root);

        var test = MvtecLayout.ReadTestSet(root);
        var truth = File.ReadLines(Path.Combine(root, "train-truth.csv")).Skip(1).Select(l => l.Split(','))
            .ToDictionary(p => p[0], p => p[1] == "1");
        using var loaded = ModelDirectory.Load(model, context.Device);
        using var scorer = OnnxAnomalyScorer.Open(loaded, context.Device);
        var pipeline = new ScoringPipeline(scorer, new FeatureSettings(loaded.Manifest.CenterCrop), context.Limits);
        var testScores = pipeline.Run(test.Select(t => t.Source).ToList()).Images.Select(i => i.Score).ToList();
        var trainScores = pipeline.Run(train).Images.Select(i => i.Score).ToList();
        // As the app does: the model's own threshold, or a label-free one from the scores of the set it is shown on.
        double ThresholdFor(List<float> scores) => loaded.Manifest.Threshold ?? LabelFreeThreshold.Suggest(scores).Threshold;
        var testThreshold = ThresholdFor(testScores);
        var trainThreshold = ThresholdFor(trainScores);
        return new MethodResult(method, report, seconds, loaded.Manifest.Threshold ?? double.NaN,
            testScores.Count(s => s >= testThreshold) / (double)testScores.Count, test.Count(t => t.IsAnomalous) / (double)test.Count,
            trainScores.Count(s => s >= trainThreshold) / (double)trainScores.Count, truth.Values.Count(v => v) / (double)truth.Count);
    }
}
