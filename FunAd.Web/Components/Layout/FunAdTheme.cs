using MudBlazor;

namespace FunAd.Web.Components.Layout;

/// <summary>
/// The app's colours, defined once: MainLayout's MudThemeProvider publishes them as CSS variables
/// (<c>--mud-palette-*</c>), which MudBlazor's components, app.css and the hand-drawn SVG charts all use.
/// </summary>
public static class FunAdTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#594ae2",
            // A second line colour for charts (the BCE loss).
            Tertiary = "#00a884",
            // The OK / review / NG bands: the band chips and the score badges show the same three colours.
            Success = "#2e7d32",
            Warning = "#ef6c00",
            Error = "#c62828",
            GrayDefault = "#9e9e9e",
        },
    };

    /// <summary>The palette as CSS values, for SVG drawn by hand (set through <c>style</c>, where var() always applies).</summary>
    public static class Css
    {
        public const string Primary = "var(--mud-palette-primary)";
        public const string Tertiary = "var(--mud-palette-tertiary)";
        public const string Warning = "var(--mud-palette-warning)";
        public const string Error = "var(--mud-palette-error)";
        public const string Gray = "var(--mud-palette-gray-default)";
    }
}
