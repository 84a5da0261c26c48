using FunAd.Engine.Imaging;
using FunAd.Engine.Synthesis;

namespace FunAd.Tests.Synthesis;

public class SyntheticAnomalyTests
{
    private static RgbImage Brick(int x, int y)
    {
        var brick = ImageLoader.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", "brick.png"), DecodeLimits.Default);
        var pixels = new byte[64 * 64 * 3];
        for (var row = 0; row < 64; row++) Array.Copy(brick.Pixels, ((y + row) * brick.Width + x) * 3, pixels, row * 64 * 3, 64 * 3);
        return new RgbImage(64, 64, pixels);
    }

    [Fact]
    public void Perlin_noise_is_reproducible_smooth_and_bounded()
    {
        var a = PerlinNoise.Generate(64, 48, 4, 2, new Random(1));
        var b = PerlinNoise.Generate(64, 48, 4, 2, new Random(1));

        Assert.Equal(a, b);
        Assert.All(a, v => Assert.InRange(v, -1.5f, 1.5f));
        Assert.True(a.Max() - a.Min() > 0.5f, "noise must vary");
        for (var y = 0; y < 48; y++)
        for (var x = 1; x < 64; x++)
            Assert.True(Math.Abs(a[y * 64 + x] - a[y * 64 + x - 1]) < 0.2f, "neighbouring pixels differ little");
    }

    [Fact]
    public void Only_pixels_under_the_mask_change_and_the_grid_labels_cover_the_mask()
    {
        var target = Brick(0, 0);
        var source = Brick(200, 300);

        var anomaly = SyntheticAnomalyMaker.Make(target, source, new Random(3));
        var labels = anomaly.GridLabels(8);

        Assert.Contains(true, anomaly.Mask);
        for (var i = 0; i < anomaly.Mask.Length; i++)
            if (!anomaly.Mask[i])
                Assert.Equal(target.Pixels.AsSpan(i * 3, 3).ToArray(), anomaly.Image.Pixels.AsSpan(i * 3, 3).ToArray());
        var changed = Enumerable.Range(0, anomaly.Mask.Length).Count(i => anomaly.Mask[i] && anomaly.Image.Pixels[i * 3] != target.Pixels[i * 3]);
        Assert.True(changed > 0);
        // Each 8x8 cell of the 64x64 image is one patch; it is labelled 1 when any of its pixels is masked.
        var expected = new float[64];
        for (var i = 0; i < anomaly.Mask.Length; i++)
            if (anomaly.Mask[i]) expected[i / 64 / 8 * 8 + i % 64 / 8] = 1;
        Assert.Equal(expected, labels);
    }
}
