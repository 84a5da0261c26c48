using FunAd.Engine.Metrics;

namespace FunAd.Tests.Metrics;

public class MetricReportTests
{
    private static readonly float[] ImageScores = [0.1f, 0.4f, 0.35f, 0.8f];
    private static readonly bool[] ImageLabels = [false, false, true, true];

    [Fact]
    public void Image_only_report_leaves_pixel_metrics_empty()
    {
        var report = MetricReport.Compute(ImageScores, ImageLabels);

        Assert.Equal(new MetricReport(0.75, null, null, 0.8, 0.35f), report);
    }

    [Fact]
    public void Pixel_metrics_are_filled_from_maps_masks_and_sizes()
    {
        float[][] maps = [[0.9f, 0.8f], [0.3f, 0.2f]];
        bool[][] masks = [[true, false], [true, false]];
        (int Width, int Height)[] sizes = [(2, 1), (2, 1)];

        var withMasks = MetricReport.Compute(ImageScores, ImageLabels, maps, masks);
        var withSizes = MetricReport.Compute(ImageScores, ImageLabels, maps, masks, sizes);

        Assert.Equal(0.75, withMasks.PixelAuroc!.Value, 12);
        Assert.Null(withMasks.Aupro);
        Assert.Equal(Aupro.Compute(maps, masks, sizes), withSizes.Aupro);
    }

    [Fact]
    public void Maps_without_masks_throw()
    {
        float[][] maps = [[0.9f, 0.8f]];

        Assert.Throws<ArgumentException>(() => MetricReport.Compute(ImageScores, ImageLabels, maps));
    }
}
