namespace FunAd.Engine.Metrics;

/// <summary>
/// The figures reported for one evaluation run. Pixel metrics are null when the run had no
/// ground-truth masks (or, for <see cref="Aupro"/>, no image sizes to find regions with).
/// </summary>
public sealed record MetricReport(
    double ImageAuroc,
    double? PixelAuroc,
    double? Aupro,
    double F1Max,
    double F1Threshold)
{
    /// <summary>
    /// Computes the image metrics, pixel AUROC when <paramref name="maps"/> and
    /// <paramref name="masks"/> are given, and AUPRO when <paramref name="sizes"/> is given as well.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// Only one of maps and masks is given, sizes come without them, or a metric rejects its input.
    /// </exception>
    public static MetricReport Compute(
        ReadOnlySpan<float> imageScores,
        ReadOnlySpan<bool> imageLabels,
        IReadOnlyList<float[]>? maps = null,
        IReadOnlyList<bool[]>? masks = null,
        IReadOnlyList<(int Width, int Height)>? sizes = null)
    {
        if ((maps is null) != (masks is null))
        {
            throw new ArgumentException("maps and masks must be given together.", maps is null ? nameof(maps) : nameof(masks));
        }

        if (sizes is not null && maps is null)
        {
            throw new ArgumentException("sizes are only used with maps and masks.", nameof(sizes));
        }

        // The properties share their names with the metric classes, hence the qualified calls.
        var (f1, threshold) = Metrics.F1Max.Compute(imageScores, imageLabels);
        return new MetricReport(
            Auroc.Compute(imageScores, imageLabels),
            maps is null ? null : Metrics.PixelAuroc.Compute(maps, masks!),
            sizes is null ? null : Metrics.Aupro.Compute(maps!, masks!, sizes),
            f1,
            threshold);
    }
}
