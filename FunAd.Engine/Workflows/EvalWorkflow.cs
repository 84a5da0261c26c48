using FunAd.Engine.Datasets;
using FunAd.Engine.Evaluation;
using FunAd.Engine.Features;
using FunAd.Engine.Inference;
using FunAd.Engine.Metrics;
using FunAd.Engine.Models;

namespace FunAd.Engine.Workflows;

/// <summary>Scores an MVTec-AD-layout test set with a trained model (through its exported graph) and measures image and pixel accuracy.</summary>
public static class EvalWorkflow
{
    public static EvaluationReport Run(EngineContext context, string modelDirectory, string datasetDirectory,
        IProgress<StageProgress>? progress = null, CancellationToken cancellation = default)
    {
        var test = MvtecLayout.ReadTestSet(datasetDirectory);
        using var model = ModelDirectory.Load(modelDirectory, context.Device);
        var manifest = model.Manifest;
        using var scorer = OnnxAnomalyScorer.Open(model, context.Device);
        var run = new ScoringPipeline(scorer, new FeatureSettings(manifest.CenterCrop), context.Limits)
            .Run(test.Select(t => t.Source).ToList(), progress, cancellation);
        var truth = test.ToDictionary(t => t.Source.Path);
        var scored = run.Images;
        var labels = scored.Select(s => truth[s.Source.Path].IsAnomalous).ToArray();
        var scores = scored.Select(s => s.Score).ToArray();
        var imageAuroc = Auroc.Compute(scores, labels);
        var (f1, threshold) = F1Max.Compute(scores, labels);

        double? pixelAuroc = null, aupro = null;
        string? note = null;
        if (DetectionModeParser.Parse(manifest.Mode) != DetectionMode.Defect)
        {
            note = "semantic model: no pixel maps";
        }
        else if (scored.Any(s => truth[s.Source.Path] is { IsAnomalous: true, MaskPath: null }))
        {
            note = "some defective images have no ground-truth mask";
        }
        else
        {
            var maps = new List<float[]>(scored.Count);
            var masks = new List<bool[]>(scored.Count);
            var sizes = new List<(int Width, int Height)>(scored.Count);
            for (var i = 0; i < scored.Count; i++)
            {
                cancellation.ThrowIfCancellationRequested();
                var image = scored[i];
                maps.Add(ScoreWorkflow.MapAtImageSize(image));
                var maskPath = truth[image.Source.Path].MaskPath;
                masks.Add(maskPath is null ? GroundTruthMask.Empty(image.Width, image.Height) : GroundTruthMask.Load(maskPath, image.Width, image.Height, context.Limits));
                sizes.Add((image.Width, image.Height));
                progress?.Report(new StageProgress("maps", (i + 1.0) / scored.Count, image.Source.Name));
            }
            pixelAuroc = PixelAuroc.Compute(maps, masks);
            aupro = Aupro.Compute(maps, masks, sizes);
        }
        return new EvaluationReport(scored.Count, labels.Count(l => l), imageAuroc, f1, threshold, pixelAuroc, aupro, note, run.Refused.Count);
    }
}
