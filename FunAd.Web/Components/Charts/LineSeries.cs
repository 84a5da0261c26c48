namespace FunAd.Web.Components.Charts;

/// <summary>One line of a <see cref="SvgLineChart"/>: its name, colour and (x, y) points.</summary>
public sealed record LineSeries(string Name, string Colour, IReadOnlyList<(double X, double Y)> Points, bool Dashed = false);
