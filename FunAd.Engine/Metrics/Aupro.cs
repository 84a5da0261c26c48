namespace FunAd.Engine.Metrics;

/// <summary>
/// Area under the per-region-overlap curve up to a false-positive-rate limit, as in MVTec AD and
/// anomalib. Unlike pixel AUROC it weighs every defect region equally whatever its size, so a
/// missed small scratch costs as much as a missed large stain.
/// </summary>
public static class Aupro
{
    /// <summary>
    /// Regions are the 8-connected components of each mask. For every distinct score as threshold,
    /// PRO is the mean over all regions of the fraction of their pixels at or above it, and FPR the
    /// fraction of all normal pixels at or above it. PRO is integrated over FPR from 0 to
    /// <paramref name="maxFpr"/> (interpolated at the limit) and divided by <paramref name="maxFpr"/>,
    /// so a perfect detector scores 1. Images without defects contribute normal pixels only.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// Counts or sizes disagree, a score is NaN, the masks hold no region, or no pixel is normal.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxFpr"/> is not in (0, 1].</exception>
    public static double Compute(
        IReadOnlyList<float[]> maps,
        IReadOnlyList<bool[]> masks,
        IReadOnlyList<(int Width, int Height)> sizes,
        double maxFpr = 0.3)
    {
        int total = MetricInputs.PooledPixelCount(maps, masks);
        ArgumentNullException.ThrowIfNull(sizes);
        if (sizes.Count != maps.Count)
        {
            throw new ArgumentException($"There are {maps.Count} anomaly maps but {sizes.Count} sizes.", nameof(sizes));
        }

        if (!(maxFpr > 0 && maxFpr <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(maxFpr), maxFpr, "maxFpr must be in (0, 1].");
        }

        // Pool every pixel with the global id of its region (0 for normal pixels) so that a single
        // sort serves the whole sweep.
        var scores = new float[total];
        var regionOf = new int[total];
        var regionSizes = new List<int> { 0 };
        long normals = 0;
        int offset = 0;
        for (int image = 0; image < maps.Count; image++)
        {
            var (width, height) = sizes[image];
            if ((long)width * height != maps[image].Length)
            {
                throw new ArgumentException(
                    $"sizes[{image}] is {width} x {height} but maps[{image}] has {maps[image].Length} pixels.", nameof(sizes));
            }

            var (labels, count) = ConnectedComponents.Label(masks[image], width, height);
            int firstId = regionSizes.Count - 1;
            for (int c = 0; c < count; c++)
            {
                regionSizes.Add(0);
            }

            for (int p = 0; p < labels.Length; p++)
            {
                if (labels[p] == 0)
                {
                    normals++;
                }
                else
                {
                    int id = firstId + labels[p];
                    regionOf[offset + p] = id;
                    regionSizes[id]++;
                }
            }

            maps[image].CopyTo(scores, offset);
            offset += labels.Length;
        }

        int regions = regionSizes.Count - 1;
        if (regions == 0)
        {
            throw new ArgumentException("masks contain no defect region, so AUPRO is undefined.", nameof(masks));
        }

        if (normals == 0)
        {
            throw new ArgumentException("masks contain no normal pixel, so AUPRO is undefined.", nameof(masks));
        }

        // A region pixel crossing the threshold raises its region's overlap by 1 / region size, so
        // the sum of overlaps is kept running instead of re-averaging every region at each step.
        var overlapStep = new double[regionSizes.Count];
        for (int id = 1; id < overlapStep.Length; id++)
        {
            overlapStep[id] = 1.0 / regionSizes[id];
        }

        Array.Sort(scores, regionOf);

        double area = 0;
        double previousFpr = 0;
        double previousPro = 0;
        long falsePositives = 0;
        double overlapSum = 0;
        int i = total - 1;

        // Every normal pixel is counted by the lowest threshold, where FPR = 1 >= maxFpr, so the
        // walk always returns before running out of pixels.
        while (true)
        {
            // Tied scores move together: one curve point per distinct score, as any threshold gives.
            float threshold = scores[i];
            do
            {
                int id = regionOf[i];
                if (id == 0)
                {
                    falsePositives++;
                }
                else
                {
                    overlapSum += overlapStep[id];
                }

                i--;
            }
            while (i >= 0 && scores[i] == threshold);

            double fpr = (double)falsePositives / normals;
            double pro = overlapSum / regions;
            if (fpr >= maxFpr)
            {
                // The curve is linear between points, so cut the last trapezoid exactly at the limit.
                double proAtLimit = previousPro + (pro - previousPro) * (maxFpr - previousFpr) / (fpr - previousFpr);
                area += (maxFpr - previousFpr) * (previousPro + proAtLimit) / 2;
                return area / maxFpr;
            }

            area += (fpr - previousFpr) * (previousPro + pro) / 2;
            previousFpr = fpr;
            previousPro = pro;
        }
    }
}
