using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace FunAd.Engine.Visualization;

/// <summary>
/// An anomaly map alone, coloured with the inferno scale at a fixed range, as a PNG a page lays over
/// its image (the page sets the opacity). Scores at or below the bottom of the range are transparent,
/// so a normal image shows through untouched.
/// </summary>
public static class HeatmapImage
{
    /// <param name="map">Row-major scores, mapWidth x mapHeight.</param>
    /// <param name="width">Width of the PNG (the map is resized bilinearly to it).</param>
    public static byte[] RenderPng(float[] map, int mapWidth, int mapHeight, int width, int height, float scaleMin, float scaleMax)
    {
        ArgumentNullException.ThrowIfNull(map);
        if (map.Length != mapWidth * mapHeight) throw new ArgumentException($"Expected {mapWidth}x{mapHeight} values, got {map.Length}.", nameof(map));
        if (!(scaleMax > scaleMin)) throw new ArgumentException($"The scale must have min < max, got {scaleMin}..{scaleMax}.", nameof(scaleMax));
        var resized = Scoring.AnomalyMap.Upsample(map, mapWidth, mapHeight, width, height);
        using var image = new Image<Rgba32>(width, height);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < width; x++)
                {
                    var t = Math.Clamp((resized[y * width + x] - scaleMin) / (scaleMax - scaleMin), 0f, 1f);
                    var (r, g, b) = ColorMap.Map(t);
                    // Fade in over the lowest quarter of the scale, so what barely passes the bottom of the
                    // scale only tints the image and what stands out covers it.
                    row[x] = new Rgba32(r, g, b, (byte)(255 * Math.Min(1f, t * 4f)));
                }
            }
        });
        using var output = new MemoryStream();
        image.Save(output, new PngEncoder { ColorType = PngColorType.RgbWithAlpha });
        return output.ToArray();
    }

    /// <summary>The size of the stored heatmap for an image: its own size, the longest side capped.</summary>
    public static (int Width, int Height) FitWithin(int width, int height, int longestSide)
    {
        var scale = Math.Min(1.0, (double)longestSide / Math.Max(width, height));
        return (Math.Max(1, (int)Math.Round(width * scale)), Math.Max(1, (int)Math.Round(height * scale)));
    }
}
