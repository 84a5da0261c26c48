namespace FunAd.Engine.Metrics;

/// <summary>
/// Pixel-level AUROC: every pixel of every image is one sample, pooled before ranking (not a mean
/// of per-image AUROCs, which would be undefined for defect-free images and weight images equally).
/// </summary>
public static class PixelAuroc
{
    /// <summary>
    /// <paramref name="masks"/>[i] marks the defective pixels of <paramref name="maps"/>[i].
    /// Memory: one pooled copy of the scores plus one byte per pixel for the labels.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// Counts or lengths differ, a score is NaN, or no pixel is defective or none is normal.
    /// </exception>
    public static double Compute(IReadOnlyList<float[]> maps, IReadOnlyList<bool[]> masks) =>
        Auroc.FromSorted(LabeledScores.Pool(maps, masks), nameof(masks));

    /// <summary>The pixel-level ROC curve over the same pooled pixels (for charts; its Auc equals <see cref="Compute"/>).</summary>
    public static RocCurve Curve(IReadOnlyList<float[]> maps, IReadOnlyList<bool[]> masks)
    {
        var pooled = LabeledScores.Pool(maps, masks);
        return RocCurve.Compute(pooled.Scores, pooled.Labels);
    }
}
