namespace FunAd.Jobs.Scoring;

/// <summary>
/// Thresholds chosen from ground truth (uploaded labels or reviewers' verdicts), for the one-click
/// choices beside the label-free suggestion. Null where the images with ground truth cannot decide.
/// </summary>
public static class ThresholdChoices
{
    /// <summary>The NG threshold with the best F1 over the images with ground truth (needs both kinds).</summary>
    public static double? BestF1(IReadOnlyList<ScoredImage> images)
    {
        if (RunMetrics.Compute(images, 0, 0).F1Threshold is not { } found) return null;
        // F1 is computed on single-precision scores: snap back to the image score it stands for, so the
        // image at the threshold is flagged (NG is score >= threshold in double precision).
        var threshold = (float)found;
        return images.Where(i => (float)i.Score >= threshold).Min(i => i.Score);
    }

    /// <summary>
    /// The lowest NG threshold at which at most <paramref name="share"/> of the known-normal images are
    /// flagged (scores at or above it), so as many defects as that false-alarm budget allows are caught.
    /// </summary>
    public static double? AtMostFalseAlarms(IReadOnlyList<ScoredImage> images, double share)
    {
        if (!double.IsFinite(share) || share < 0 || share > 1) throw new ArgumentOutOfRangeException(nameof(share), share, "a share between 0 and 1");
        var normals = images.Where(i => i.IsDefect == false).Select(i => i.Score).OrderByDescending(s => s).ToList();
        if (normals.Count == 0) return null;
        var allowed = (int)Math.Floor(share * normals.Count);
        // Just above the highest normal score that must not be flagged; the allowed ones above it are flagged.
        if (allowed >= normals.Count) return images.Min(i => i.Score);
        return Math.BitIncrement(normals[allowed]);
    }
}
