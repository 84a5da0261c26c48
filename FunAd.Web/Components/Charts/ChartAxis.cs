namespace FunAd.Web.Components.Charts;

/// <summary>"Nice" axis ticks (1, 2 or 5 times a power of ten) covering a range of values.</summary>
public static class ChartAxis
{
    public static (double Min, double Max, double[] Ticks) Nice(double min, double max, int targetTicks = 5)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max)) (min, max) = (0, 1);
        if (max - min < 1e-12) (min, max) = (min - 0.5, max + 0.5);
        var raw = (max - min) / Math.Max(1, targetTicks);
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1.0, 2.0, 5.0, 10.0 }.Select(f => f * magnitude).First(s => s >= raw);
        var low = Math.Floor(min / step) * step;
        var high = Math.Ceiling(max / step) * step;
        var count = (int)Math.Round((high - low) / step);
        var ticks = Enumerable.Range(0, count + 1).Select(i => Math.Round(low + i * step, 12)).ToArray();
        return (low, high, ticks);
    }

    /// <summary>A coordinate as SVG attributes want it: invariant culture, two decimals at most.</summary>
    public static string Svg(double value) => value.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);

    public static string Format(double value) =>
        Math.Abs(value) >= 1000 ? value.ToString("0") : Math.Abs(value) >= 1 ? value.ToString("0.##") : value.ToString("0.###");
}
