using FunAd.Jobs.Scoring;

namespace FunAd.Web.Components.Review;

/// <summary>
/// A newly scored image as "Score new images" shows it: the result, the image and its heatmap as data
/// URLs (nothing is stored on the server), its map values (base64, for the viewer to colour at the run's
/// scale or the image's own), and the file's bytes while they may still be added to the project (null
/// for a refused file, and once added).
/// </summary>
public sealed record ScoredNewImage(NewImageScore Result, string? ImageSrc, string? HeatmapSrc, byte[]? Bytes, string? MapValues = null)
{
    public string Name => Result.Name;

    /// <summary>"NG", "REVIEW" or "OK", as scores.csv writes bands; null for a refused file.</summary>
    public string? BandText => Result.Band?.ToString().ToUpperInvariant();

    public string? BandClass => Result.Band?.ToString().ToLowerInvariant();
}
