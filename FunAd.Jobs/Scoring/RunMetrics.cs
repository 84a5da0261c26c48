using FunAd.Engine.Metrics;

namespace FunAd.Jobs.Scoring;

/// <summary>A 2 x 2 table at a threshold: defects flagged (TP), defects missed (FN), normals flagged (FP), normals passed (TN).</summary>
public sealed record ConfusionMatrix(int TruePositives, int FalseNegatives, int FalsePositives, int TrueNegatives);

/// <summary>
/// The review metrics of a run at its thresholds: band counts always; ROC, AUROC, F1-max and the
/// confusion matrix only over images with ground truth (verdict or uploaded label), and only when
/// both kinds are there. Nothing is invented: <see cref="Missing"/> says what is needed otherwise.
/// </summary>
public sealed record RunMetrics(int Ok, int Review, int Ng, int Labelled, int Defects, int Normals, double? ImageAuroc,
    IReadOnlyList<(double Fpr, double Tpr)> Roc, double? F1Max, double? F1Threshold, ConfusionMatrix? Confusion, string? Missing)
{
    public static RunMetrics Compute(IReadOnlyList<ScoredImage> images, double low, double high)
    {
        var ok = images.Count(i => i.Score < low);
        var ng = images.Count(i => i.Score >= high);
        var labelled = images.Where(i => i.IsDefect is not null).ToList();
        var defects = labelled.Count(i => i.IsDefect == true);
        var normals = labelled.Count - defects;
        if (defects == 0 || normals == 0)
        {
            var missing = labelled.Count == 0
                ? "No ground truth yet: upload MVTec-style labels (good/ and defect folders) or give verdicts in the gallery to see ROC, AUROC, F1 and the confusion matrix."
                : defects == 0
                    ? $"All {normals} images with ground truth are normal: mark at least one defect to see ROC and AUROC."
                    : $"All {defects} images with ground truth are defects: mark at least one normal image to see ROC and AUROC.";
            return new RunMetrics(ok, images.Count - ok - ng, ng, labelled.Count, defects, normals, null, [], null, null, null, missing);
        }
        var scores = labelled.Select(i => (float)i.Score).ToArray();
        var truth = labelled.Select(i => i.IsDefect == true).ToArray();
        var roc = RocCurve.Compute(scores, truth);
        var (f1, f1Threshold) = FunAd.Engine.Metrics.F1Max.Compute(scores, truth);
        var confusion = new ConfusionMatrix(
            labelled.Count(i => i.IsDefect == true && i.Score >= high), labelled.Count(i => i.IsDefect == true && i.Score < high),
            labelled.Count(i => i.IsDefect == false && i.Score >= high), labelled.Count(i => i.IsDefect == false && i.Score < high));
        var points = roc.Downsample(400);
        return new RunMetrics(ok, images.Count - ok - ng, ng, labelled.Count, defects, normals, roc.Auc,
            points.FalsePositiveRates.Zip(points.TruePositiveRates).ToList(), f1, f1Threshold, confusion, null);
    }
}
