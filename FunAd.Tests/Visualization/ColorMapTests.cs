using FunAd.Engine.Visualization;

namespace FunAd.Tests.Visualization;

public sealed class ColorMapTests
{
    [Fact]
    public void Endpoints_are_infernos_black_and_pale_yellow()
    {
        Assert.Equal(((byte)0, (byte)0, (byte)4), ColorMap.Map(0f));
        Assert.Equal(((byte)252, (byte)255, (byte)164), ColorMap.Map(1f));
    }

    [Fact]
    public void Clamps_out_of_range_and_nan()
    {
        Assert.Equal(ColorMap.Map(0f), ColorMap.Map(-3f));
        Assert.Equal(ColorMap.Map(0f), ColorMap.Map(float.NaN));
        Assert.Equal(ColorMap.Map(1f), ColorMap.Map(7f));
        Assert.Equal(ColorMap.Map(1f), ColorMap.Map(float.PositiveInfinity));
    }

    [Fact]
    public void Luminance_increases_monotonically()
    {
        double previous = -1;
        for (int i = 0; i < 256; i++)
        {
            var (r, g, b) = ColorMap.Map((i + 0.5f) / 256f);
            double luminance = 0.2126 * Linear(r) + 0.7152 * Linear(g) + 0.0722 * Linear(b);
            Assert.True(luminance > previous, $"luminance drops at entry {i}");
            previous = luminance;
        }
    }

    /// <summary>sRGB byte to linear light, since relative luminance is defined on linear values.</summary>
    private static double Linear(byte channel)
    {
        double c = channel / 255.0;
        return c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
    }
}
