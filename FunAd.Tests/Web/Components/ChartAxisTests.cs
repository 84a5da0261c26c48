using FunAd.Web.Components.Charts;

namespace FunAd.Tests.Web.Components;

public sealed class ChartAxisTests
{
    [Theory]
    [InlineData(0, 1, 0, 1, 0.2)]
    [InlineData(0.13, 1.37, 0, 1.5, 0.5)]
    [InlineData(0, 40, 0, 40, 10)]
    [InlineData(3, 3, 2.4, 3.6, 0.2)]
    public void Ticks_are_round_numbers_covering_the_range(double min, double max, double low, double high, double step)
    {
        var (from, to, ticks) = ChartAxis.Nice(min, max);

        Assert.Equal(low, from, 9);
        Assert.Equal(high, to, 9);
        Assert.Equal(step, ticks[1] - ticks[0], 9);
        Assert.Equal(from, ticks[0], 9);
        Assert.Equal(to, ticks[^1], 9);
    }
}
