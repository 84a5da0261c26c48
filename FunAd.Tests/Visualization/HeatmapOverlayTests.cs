using FunAd.Engine.Imaging;
using FunAd.Engine.Visualization;
using FunAd.Tests.Support;
using static FunAd.Tests.Support.SyntheticImages;

namespace FunAd.Tests.Visualization;

public sealed class HeatmapOverlayTests
{
    private static readonly RgbImage Grey = CreateRgb(64, 64, (_, _) => (128, 128, 128));

    /// <summary>1 on the left half, 0 on the right half.</summary>
    private static readonly float[] HalfMap = Enumerable.Range(0, 64 * 64).Select(i => i % 64 < 32 ? 1f : 0f).ToArray();

    private static RgbImage Decode(byte[] png)
    {
        using var stream = new MemoryStream(png);
        return ImageLoader.Load(stream, "overlay.png", DecodeLimits.Default);
    }

    [Fact]
    public void Png_decodes_to_the_image_plus_a_colour_bar_margin()
    {
        var overlay = Decode(HeatmapOverlay.RenderPng(Grey, HalfMap, 0f, 1f));

        Assert.True(overlay.Width > Grey.Width, $"width {overlay.Width}");
        Assert.Equal(Grey.Height, overlay.Height);
    }

    [Fact]
    public void Blends_the_map_colour_over_the_image()
    {
        var overlay = Decode(HeatmapOverlay.RenderPng(Grey, HalfMap, 0f, 1f, alpha: 0.5f));

        // Halfway between grey 128 and inferno's ends (252, 255, 164) and (0, 0, 4).
        Assert.Equal(((byte)190, (byte)192, (byte)146), PixelAt(overlay, 10, 30));
        Assert.Equal(((byte)64, (byte)64, (byte)66), PixelAt(overlay, 50, 30));
        Assert.NotEqual(PixelAt(Grey, 10, 30), PixelAt(overlay, 10, 30));
    }

    [Fact]
    public void Alpha_zero_leaves_the_image_unchanged()
    {
        var overlay = HeatmapOverlay.Render(Grey, HalfMap, 0f, 1f, alpha: 0f);

        Assert.Equal(PixelAt(Grey, 10, 30), PixelAt(overlay, 10, 30));
        Assert.Equal(PixelAt(Grey, 50, 30), PixelAt(overlay, 50, 30));
    }

    [Fact]
    public void A_fixed_scale_gives_equal_scores_equal_colours_across_images()
    {
        var calm = Enumerable.Repeat(0.3f, 64 * 64).ToArray();
        var spiky = (float[])calm.Clone();
        spiky[0] = 0.9f;

        var calmOverlay = HeatmapOverlay.Render(Grey, calm, 0f, 1f);
        var spikyOverlay = HeatmapOverlay.Render(Grey, spiky, 0f, 1f);
        var otherScale = HeatmapOverlay.Render(Grey, calm, 0f, 0.3f);

        Assert.Equal(PixelAt(calmOverlay, 40, 40), PixelAt(spikyOverlay, 40, 40));
        Assert.NotEqual(PixelAt(calmOverlay, 40, 40), PixelAt(otherScale, 40, 40));
    }

    [Fact]
    public void Colour_bar_runs_from_the_top_colour_above_to_the_bottom_colour_below_with_labels()
    {
        var overlay = HeatmapOverlay.Render(Grey, HalfMap, 0f, 1f);

        var top = FindInMargin(overlay, ColorMap.Map(1f));
        var bottom = FindInMargin(overlay, ColorMap.Map(0f));
        Assert.NotNull(top);
        Assert.NotNull(bottom);
        Assert.True(top.Value.Y < bottom.Value.Y, $"top colour at y={top.Value.Y}, bottom colour at y={bottom.Value.Y}");
        Assert.NotNull(FindInMargin(overlay, (0, 0, 0))); // label text
    }

    [Fact]
    public void Labels_state_the_scale()
    {
        var margin1 = MarginPixels(HeatmapOverlay.Render(Grey, HalfMap, 0f, 1f));
        var margin2 = MarginPixels(HeatmapOverlay.Render(Grey, HalfMap, 0f, 2.5f));

        Assert.NotEqual(margin1, margin2);
    }

    [Theory]
    [InlineData(-1f, 1f)]
    [InlineData(0f, 250000f)]
    [InlineData(1e-6f, 2e-5f)]
    public void Renders_any_finite_scale(float min, float max)
    {
        var overlay = HeatmapOverlay.Render(Grey, HalfMap, min, max);

        Assert.True(overlay.Width > Grey.Width);
    }

    [Fact]
    public void Grows_the_colour_bar_with_large_images()
    {
        var small = HeatmapOverlay.Render(Grey, HalfMap, 0f, 1f);
        var large = HeatmapOverlay.Render(CreateRgb(512, 512, (_, _) => (128, 128, 128)), new float[512 * 512], 0f, 1f);

        Assert.True(large.Width - 512 > small.Width - 64);
        Assert.Equal(512, large.Height);
    }

    [Fact]
    public void Makes_room_for_the_labels_under_a_tiny_image()
    {
        var overlay = HeatmapOverlay.Render(CreateRgb(3, 2, (_, _) => (9, 9, 9)), new float[6], 0f, 1f);

        Assert.True(overlay.Height > 2 * 7);
    }

    [Fact]
    public void Refuses_a_map_of_the_wrong_size_or_a_bad_scale()
    {
        Assert.Throws<ArgumentException>(() => HeatmapOverlay.Render(Grey, new float[10], 0f, 1f));
        Assert.Throws<ArgumentException>(() => HeatmapOverlay.Render(Grey, HalfMap, 1f, 1f));
        Assert.Throws<ArgumentException>(() => HeatmapOverlay.Render(Grey, HalfMap, 0f, float.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => HeatmapOverlay.Render(Grey, HalfMap, 0f, 1f, alpha: 1.5f));
    }

    [Fact]
    public void Saves_a_png_file()
    {
        using var temp = new TemporaryFolder();
        string path = temp.Combine("overlay.png");

        HeatmapOverlay.SavePng(Grey, HalfMap, 0f, 1f, path);

        var saved = ImageLoader.Load(path, DecodeLimits.Default);
        Assert.Equal(HeatmapOverlay.Render(Grey, HalfMap, 0f, 1f).Pixels, saved.Pixels);
    }

    private static (int X, int Y)? FindInMargin(RgbImage overlay, (byte R, byte G, byte B) color)
    {
        for (int y = 0; y < overlay.Height; y++)
        {
            for (int x = Grey.Width; x < overlay.Width; x++)
            {
                if (PixelAt(overlay, x, y) == color) return (x, y);
            }
        }
        return null;
    }

    private static byte[] MarginPixels(RgbImage overlay) =>
        Enumerable.Range(0, overlay.Height)
            .SelectMany(y => overlay.Pixels.Skip(3 * (y * overlay.Width + Grey.Width)).Take(3 * (overlay.Width - Grey.Width)))
            .ToArray();
}
