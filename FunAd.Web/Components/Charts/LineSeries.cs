namespace FunAd.Web.Components.Charts;

/// <summary>One line of a <see cref="SvgLineChart"/>: its name, colour (any CSS colour, usually a <see cref="Layout.FunAdTheme.Css"/> palette variable) and (x, y) points.</summary>
public sealed record LineSeries(string Name, string Colour, IReadOnlyList<(double X, double Y)> Points, bool Dashed = false);
