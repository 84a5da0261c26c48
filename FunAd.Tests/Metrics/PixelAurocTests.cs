using FunAd.Engine.Metrics;

namespace FunAd.Tests.Metrics;

public class PixelAurocTests
{
    [Fact]
    public void Pools_pixels_across_images_rather_than_averaging_images()
    {
        // Each image alone ranks its defect first (AUROC 1), but pooled the 0.3 defect pixel falls
        // below the 0.8 normal pixel of the other image: 3 of 4 pairs ordered.
        float[][] maps = [[0.9f, 0.8f], [0.3f, 0.2f]];
        bool[][] masks = [[true, false], [true, false]];

        Assert.Equal(0.75, PixelAuroc.Compute(maps, masks), 12);
    }

    [Fact]
    public void Defect_free_images_add_normal_pixels()
    {
        float[][] maps = [[0.9f, 0.1f], [0.95f, 0.05f]];
        bool[][] masks = [[true, false], [false, false]];

        // Positive 0.9 vs negatives 0.1, 0.95, 0.05: two of three ordered.
        Assert.Equal(2.0 / 3, PixelAuroc.Compute(maps, masks), 12);
    }

    [Fact]
    public void Map_and_mask_counts_must_match()
    {
        Assert.Throws<ArgumentException>(() => PixelAuroc.Compute([[0.1f, 0.2f]], [[true, false], [false, true]]));
    }

    [Fact]
    public void Map_and_mask_lengths_must_match()
    {
        var error = Assert.Throws<ArgumentException>(
            () => PixelAuroc.Compute([[0.1f, 0.2f], [0.3f]], [[true, false], [false, true]]));

        Assert.Contains("maps[1]", error.Message);
    }

    [Fact]
    public void Masks_without_defects_throw()
    {
        Assert.Throws<ArgumentException>(() => PixelAuroc.Compute([[0.1f, 0.2f]], [[false, false]]));
    }

    [Fact]
    public void NaN_pixel_throws_naming_the_image()
    {
        var error = Assert.Throws<ArgumentException>(
            () => PixelAuroc.Compute([[0.1f, 0.2f], [0.3f, float.NaN]], [[true, false], [false, true]]));

        Assert.Contains("maps[1][1]", error.Message);
    }
}
