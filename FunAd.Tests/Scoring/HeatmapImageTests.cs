using FunAd.Engine.Visualization;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FunAd.Tests.Scoring;

public sealed class HeatmapImageTests
{
    [Fact]
    public void Low_scores_are_transparent_high_ones_opaque_and_the_size_is_the_one_asked()
    {
        var map = new float[4 * 4];
        map[15] = 1f; // bottom-right corner hot

        var png = HeatmapImage.RenderPng(map, 4, 4, 40, 20, 0f, 1f);

        using var image = Image.Load<Rgba32>(png);
        Assert.Equal((40, 20), (image.Width, image.Height));
        Assert.Equal(0, image[0, 0].A);
        Assert.Equal(255, image[39, 19].A);
        Assert.True(image[39, 19].R > 200 && image[39, 19].G > 200, "the top of the inferno scale is pale yellow");
    }

    [Theory]
    [InlineData(1000, 500, 384, 384, 192)]
    [InlineData(100, 50, 384, 100, 50)]
    [InlineData(300, 900, 384, 128, 384)]
    public void Heatmaps_keep_the_image_aspect_within_a_cap(int w, int h, int cap, int ew, int eh) =>
        Assert.Equal((ew, eh), HeatmapImage.FitWithin(w, h, cap));
}
