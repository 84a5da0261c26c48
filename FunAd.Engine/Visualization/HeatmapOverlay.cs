using System.Globalization;
using FunAd.Engine.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FunAd.Engine.Visualization;

/// <summary>
/// Draws an anomaly map over its image, with a colour bar in a margin on the right that states the
/// scale in numbers.
/// </summary>
/// <remarks>
/// The map is normalised with a fixed, caller-given scale rather than its own min and max, so the
/// same colour means the same score on every picture and a normal image does not light up just
/// because its largest (small) score is stretched to the top of the colour map.
/// </remarks>
public static class HeatmapOverlay
{
    private static readonly (byte R, byte G, byte B) Background = (255, 255, 255);
    private static readonly (byte R, byte G, byte B) TextColor = (0, 0, 0);

    /// <summary>
    /// Renders the overlay: the image with <paramref name="map"/> blended over it, plus a colour-bar
    /// margin on the right (the result is wider than the image, and taller only for tiny images that
    /// cannot fit the two labels).
    /// </summary>
    /// <param name="map">Row-major scores, one per image pixel (Height*Width).</param>
    /// <param name="scaleMin">Score drawn as the bottom colour; lower scores are clamped to it.</param>
    /// <param name="scaleMax">Score drawn as the top colour; higher scores are clamped to it.</param>
    /// <param name="alpha">Weight of the map colour over the image, 0 (image only) to 1 (map only).</param>
    public static RgbImage Render(RgbImage image, float[] map, float scaleMin, float scaleMax, float alpha = 0.5f)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(map);
        if (map.Length != image.Width * image.Height)
        {
            throw new ArgumentException($"Expected a {image.Height}x{image.Width} map ({image.Width * image.Height} values), got {map.Length} values.", nameof(map));
        }
        if (!float.IsFinite(scaleMin) || !float.IsFinite(scaleMax) || scaleMax <= scaleMin)
        {
            throw new ArgumentException($"The scale must be finite with min < max, got {scaleMin}..{scaleMax}.", nameof(scaleMax));
        }
        if (!(alpha is >= 0f and <= 1f)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "Alpha must be in [0, 1].");

        // Sizes grow with the image so the labels stay legible on large pictures.
        int scale = Math.Max(1, image.Height / 128);
        int gap = 3 * scale;
        int barWidth = 8 * scale;
        int textHeight = BitmapFont.GlyphHeight * scale;
        string maxLabel = FormatValue(scaleMax);
        string minLabel = FormatValue(scaleMin);
        int labelWidth = Math.Max(BitmapFont.MeasureWidth(maxLabel, scale), BitmapFont.MeasureWidth(minLabel, scale));

        int width = image.Width + gap + barWidth + gap + labelWidth + gap;
        int height = Math.Max(image.Height, 2 * textHeight + 3 * gap);
        var canvas = new RgbImage(width, height, new byte[checked(width * height * 3)]);
        Fill(canvas, 0, 0, width, height, Background);

        BlendMap(canvas, image, map, scaleMin, scaleMax, alpha);

        int barLeft = image.Width + gap;
        int barTop = gap;
        int barBottom = height - 1 - gap;
        for (int y = barTop; y <= barBottom; y++)
        {
            float t = (float)(barBottom - y) / (barBottom - barTop);
            Fill(canvas, barLeft, y, barWidth, 1, ColorMap.Map(t));
        }

        int labelLeft = barLeft + barWidth + gap;
        BitmapFont.Draw(canvas, maxLabel, labelLeft, barTop, scale, TextColor);
        BitmapFont.Draw(canvas, minLabel, labelLeft, barBottom + 1 - textHeight, scale, TextColor);
        return canvas;
    }

    /// <summary>The overlay of <see cref="Render"/>, encoded as PNG.</summary>
    public static byte[] RenderPng(RgbImage image, float[] map, float scaleMin, float scaleMax, float alpha = 0.5f)
    {
        var canvas = Render(image, map, scaleMin, scaleMax, alpha);
        using var png = Image.WrapMemory<Rgb24>(canvas.Pixels.AsMemory(), canvas.Width, canvas.Height);
        using var output = new MemoryStream();
        png.SaveAsPng(output);
        return output.ToArray();
    }

    /// <summary>Writes the overlay of <see cref="Render"/> to <paramref name="path"/> as PNG.</summary>
    public static void SavePng(RgbImage image, float[] map, float scaleMin, float scaleMax, string path, float alpha = 0.5f)
    {
        ArgumentNullException.ThrowIfNull(path);
        File.WriteAllBytes(path, RenderPng(image, map, scaleMin, scaleMax, alpha));
    }

    private static void BlendMap(RgbImage canvas, RgbImage image, float[] map, float scaleMin, float scaleMax, float alpha)
    {
        float range = scaleMax - scaleMin;
        for (int y = 0; y < image.Height; y++)
        {
            for (int x = 0; x < image.Width; x++)
            {
                int i = y * image.Width + x;
                // ColorMap clamps to [0, 1] and maps NaN to the bottom colour.
                var color = ColorMap.Map((map[i] - scaleMin) / range);
                int src = 3 * i;
                int dst = 3 * (y * canvas.Width + x);
                canvas.Pixels[dst] = Blend(image.Pixels[src], color.R, alpha);
                canvas.Pixels[dst + 1] = Blend(image.Pixels[src + 1], color.G, alpha);
                canvas.Pixels[dst + 2] = Blend(image.Pixels[src + 2], color.B, alpha);
            }
        }
    }

    private static byte Blend(byte under, byte over, float alpha) =>
        (byte)(under + (over - under) * alpha + 0.5f);

    private static void Fill(RgbImage canvas, int left, int top, int width, int height, (byte R, byte G, byte B) color)
    {
        for (int y = top; y < top + height; y++)
        {
            for (int x = left; x < left + width; x++)
            {
                int o = 3 * (y * canvas.Width + x);
                canvas.Pixels[o] = color.R;
                canvas.Pixels[o + 1] = color.G;
                canvas.Pixels[o + 2] = color.B;
            }
        }
    }

    /// <summary>
    /// About three significant digits, using only the characters <see cref="BitmapFont"/> has
    /// (digits . - e): plain decimals for everyday magnitudes, "1.23e5" style beyond them.
    /// </summary>
    private static string FormatValue(float value)
    {
        float magnitude = Math.Abs(value);
        if (magnitude == 0) return "0";
        if (magnitude is < 1e-3f or >= 1e4f) return value.ToString("0.##e0", CultureInfo.InvariantCulture);
        int decimals = Math.Max(0, 2 - (int)Math.Floor(Math.Log10(magnitude)));
        return value.ToString(decimals == 0 ? "0" : "0." + new string('#', decimals), CultureInfo.InvariantCulture);
    }
}
