using FunAd.Engine.Metrics;

namespace FunAd.Tests.Metrics;

public class AuproTests
{
    private const bool X = true;
    private const bool _ = false;

    // 4 x 4 image with two regions: a horizontal pair at the top left and a pixel at the bottom right.
    private static readonly bool[] TwoRegions =
    [
        X, X, _, _,
        _, _, _, _,
        _, _, _, _,
        _, _, _, X,
    ];

    [Fact]
    public void Perfect_maps_give_one()
    {
        float[] perfect = TwoRegions.Select(defect => defect ? 1f : 0f).ToArray();

        double aupro = Aupro.Compute(
            [perfect, new float[4]],
            [TwoRegions, new bool[4]],
            [(4, 4), (2, 2)]);

        Assert.Equal(1.0, aupro, 12);
    }

    [Fact]
    public void Detecting_one_of_two_regions_gives_one_half()
    {
        // The top-left region scores 1, normal pixels 0, and the other region below every normal
        // pixel: PRO is 0.5 from FPR 0 all the way to FPR 1.
        float[] map =
        [
            1, 1, 0, 0,
            0, 0, 0, 0,
            0, 0, 0, 0,
            0, 0, 0, -1,
        ];

        Assert.Equal(0.5, Aupro.Compute([map], [TwoRegions], [(4, 4)]), 12);
    }

    [Fact]
    public void Missed_region_tied_with_normal_pixels_rises_linearly()
    {
        // As above but the missed region scores 0 like the normal pixels. The curve goes from
        // (0, 0.5) straight to (1, 1), so PRO(0.3) = 0.65 and the area is 0.3 x (0.5 + 0.65) / 2.
        float[] map =
        [
            1, 1, 0, 0,
            0, 0, 0, 0,
            0, 0, 0, 0,
            0, 0, 0, 0,
        ];

        Assert.Equal(0.1725 / 0.3, Aupro.Compute([map], [TwoRegions], [(4, 4)]), 12);
    }

    [Fact]
    public void Regions_count_equally_whatever_their_size()
    {
        // A one-pixel region found and a three-pixel region missed: PRO 0.5, not the 0.25 a
        // pixel-weighted overlap would give.
        bool[] small = [_, _, _, _, X, _, _, _, _];
        bool[] large = [X, X, X, _, _, _, _, _, _];
        float[] smallMap = [0, 0, 0, 0, 1, 0, 0, 0, 0];
        float[] largeMap = [-1, -1, -1, 0, 0, 0, 0, 0, 0];

        double aupro = Aupro.Compute([smallMap, largeMap], [small, large], [(3, 3), (3, 3)]);

        Assert.Equal(0.5, aupro, 12);
    }

    [Fact]
    public void Diagonal_pixels_form_one_region()
    {
        // With 8-connectivity the diagonal pair is one region, half detected, next to a fully
        // detected single pixel: PRO = (0.5 + 1) / 2. Four-connectivity would give (1 + 0 + 1) / 3.
        bool[] mask =
        [
            X, _, _, _,
            _, X, _, _,
            _, _, _, _,
            _, _, _, X,
        ];
        float[] map =
        [
            1, 0, 0, 0,
            0, -1, 0, 0,
            0, 0, 0, 0,
            0, 0, 0, 1,
        ];

        Assert.Equal(0.75, Aupro.Compute([map], [mask], [(4, 4)]), 12);
    }

    // One region of two pixels (0.9 and 0.4) and ten normal pixels (0.8, 0.7, 0.4, 0.4, 0.1 x 6).
    // Curve points (FPR, PRO): (0, 0), (0, 0.5) at 0.9, (0.1, 0.5) at 0.8, (0.2, 0.5) at 0.7,
    // (0.4, 1) at 0.4 where a region pixel ties with two normal ones, (1, 1) at 0.1.
    private static readonly bool[] CrossingMask =
    [
        X, X, _, _,
        _, _, _, _,
        _, _, _, _,
    ];

    private static readonly float[] CrossingMap =
    [
        0.9f, 0.4f, 0.8f, 0.7f,
        0.4f, 0.4f, 0.1f, 0.1f,
        0.1f, 0.1f, 0.1f, 0.1f,
    ];

    [Fact]
    public void Integral_is_cut_at_max_fpr_with_interpolated_pro()
    {
        // 0.05 + 0.05 for FPR 0..0.2, then the segment to (0.4, 1) cut at 0.3 where PRO = 0.75:
        // 0.1 x (0.5 + 0.75) / 2 = 0.0625. Total 0.1625 / 0.3 = 13 / 24.
        double aupro = Aupro.Compute([CrossingMap], [CrossingMask], [(4, 3)], maxFpr: 0.3);

        Assert.Equal(13.0 / 24, aupro, 12);
    }

    [Fact]
    public void Full_range_integrates_to_the_last_point()
    {
        // 0.1 up to FPR 0.2, 0.2 x (0.5 + 1) / 2 = 0.15 up to 0.4, then 0.6 x 1.
        double aupro = Aupro.Compute([CrossingMap], [CrossingMask], [(4, 3)], maxFpr: 1.0);

        Assert.Equal(0.85, aupro, 12);
    }

    [Fact]
    public void Matches_a_threshold_by_threshold_recount_on_random_masks()
    {
        var random = new Random(4242);
        var maps = new List<float[]>();
        var masks = new List<bool[]>();
        var sizes = new List<(int Width, int Height)>();
        for (int image = 0; image < 4; image++)
        {
            int width = 6 + image, height = 5;
            var mask = new bool[width * height];
            var map = new float[width * height];
            for (int p = 0; p < mask.Length; p++)
            {
                mask[p] = random.NextDouble() < 0.25;
                map[p] = random.Next(12) / 12f + (mask[p] ? 0.3f : 0);
            }

            maps.Add(map);
            masks.Add(mask);
            sizes.Add((width, height));
        }

        foreach (double maxFpr in new[] { 0.05, 0.3, 1.0 })
        {
            Assert.Equal(Recount(maps, masks, sizes, maxFpr), Aupro.Compute(maps, masks, sizes, maxFpr), 10);
        }
    }

    [Fact]
    public void No_regions_throws()
    {
        var error = Assert.Throws<ArgumentException>(
            () => Aupro.Compute([new float[4]], [new bool[4]], [(2, 2)]));

        Assert.Contains("no defect region", error.Message);
    }

    [Fact]
    public void All_defective_throws()
    {
        Assert.Throws<ArgumentException>(() => Aupro.Compute([new float[4]], [[X, X, X, X]], [(2, 2)]));
    }

    [Fact]
    public void Size_not_matching_map_throws()
    {
        var error = Assert.Throws<ArgumentException>(
            () => Aupro.Compute([CrossingMap], [CrossingMask], [(3, 4 + 1)]));

        Assert.Contains("sizes[0]", error.Message);
    }

    [Fact]
    public void Count_mismatch_throws()
    {
        Assert.Throws<ArgumentException>(
            () => Aupro.Compute([CrossingMap], [CrossingMask], [(4, 3), (4, 3)]));
        Assert.Throws<ArgumentException>(
            () => Aupro.Compute([CrossingMap, CrossingMap], [CrossingMask], [(4, 3), (4, 3)]));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Max_fpr_outside_zero_to_one_throws(double maxFpr)
    {
        Assert.Throws<ArgumentOutOfRangeException>(
            () => Aupro.Compute([CrossingMap], [CrossingMask], [(4, 3)], maxFpr));
    }

    /// <summary>Reference: recounts every region and the normal pixels afresh at each threshold.</summary>
    private static double Recount(
        List<float[]> maps, List<bool[]> masks, List<(int Width, int Height)> sizes, double maxFpr)
    {
        var regionLabels = new List<int[]>();
        var regionCounts = new List<int>();
        for (int i = 0; i < maps.Count; i++)
        {
            var (labels, count) = ConnectedComponents.Label(masks[i], sizes[i].Width, sizes[i].Height);
            regionLabels.Add(labels);
            regionCounts.Add(count);
        }

        var thresholds = maps.SelectMany(map => map).Distinct().OrderByDescending(score => score).ToList();
        var points = new List<(double Fpr, double Pro)> { (0, 0) };
        foreach (float threshold in thresholds)
        {
            long normals = 0, falsePositives = 0;
            double overlapSum = 0;
            int regions = 0;
            for (int i = 0; i < maps.Count; i++)
            {
                for (int region = 1; region <= regionCounts[i]; region++)
                {
                    int size = 0, hits = 0;
                    for (int p = 0; p < maps[i].Length; p++)
                    {
                        if (regionLabels[i][p] == region)
                        {
                            size++;
                            hits += maps[i][p] >= threshold ? 1 : 0;
                        }
                    }

                    overlapSum += (double)hits / size;
                    regions++;
                }

                for (int p = 0; p < maps[i].Length; p++)
                {
                    if (!masks[i][p])
                    {
                        normals++;
                        falsePositives += maps[i][p] >= threshold ? 1 : 0;
                    }
                }
            }

            points.Add(((double)falsePositives / normals, overlapSum / regions));
        }

        double area = 0;
        for (int k = 1; k < points.Count; k++)
        {
            var (x0, y0) = points[k - 1];
            var (x1, y1) = points[k];
            if (x1 >= maxFpr)
            {
                double yAtLimit = y0 + (y1 - y0) * (maxFpr - x0) / (x1 - x0);
                return (area + (maxFpr - x0) * (y0 + yAtLimit) / 2) / maxFpr;
            }

            area += (x1 - x0) * (y0 + y1) / 2;
        }

        throw new InvalidOperationException("The curve must reach FPR 1.");
    }
}
