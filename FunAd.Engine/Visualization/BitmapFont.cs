using FunAd.Engine.Imaging;

namespace FunAd.Engine.Visualization;

/// <summary>
/// A 5x7 pixel font for numbers (digits, '.', '-', 'e'), so pictures can state their scale without a
/// text-rendering library (ImageSharp.Drawing is not available).
/// </summary>
internal static class BitmapFont
{
    public const int GlyphWidth = 5;
    public const int GlyphHeight = 7;

    /// <summary>Horizontal distance between the starts of two characters, in font pixels.</summary>
    public const int Advance = GlyphWidth + 1;

    // One byte per row, top to bottom; bit 4 is the leftmost column.
    private static readonly Dictionary<char, byte[]> Glyphs = new()
    {
        ['0'] = [0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E],
        ['1'] = [0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E],
        ['2'] = [0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F],
        ['3'] = [0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E],
        ['4'] = [0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02],
        ['5'] = [0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E],
        ['6'] = [0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E],
        ['7'] = [0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08],
        ['8'] = [0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E],
        ['9'] = [0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C],
        ['.'] = [0x00, 0x00, 0x00, 0x00, 0x00, 0x0C, 0x0C],
        ['-'] = [0x00, 0x00, 0x00, 0x1F, 0x00, 0x00, 0x00],
        ['e'] = [0x00, 0x00, 0x0E, 0x11, 0x1F, 0x10, 0x0E],
    };

    /// <summary>Width in image pixels of <paramref name="text"/> drawn at <paramref name="scale"/>.</summary>
    public static int MeasureWidth(string text, int scale) =>
        text.Length == 0 ? 0 : (text.Length * Advance - 1) * scale;

    /// <summary>
    /// Draws <paramref name="text"/> with its top-left corner at (x, y), each font pixel a
    /// scale x scale square; pixels falling outside the canvas are skipped.
    /// </summary>
    public static void Draw(RgbImage canvas, string text, int x, int y, int scale, (byte R, byte G, byte B) color)
    {
        for (int c = 0; c < text.Length; c++)
        {
            if (!Glyphs.TryGetValue(text[c], out var rows))
            {
                throw new ArgumentException($"The bitmap font has no glyph for '{text[c]}'.", nameof(text));
            }

            int left = x + c * Advance * scale;
            for (int row = 0; row < GlyphHeight; row++)
            {
                for (int col = 0; col < GlyphWidth; col++)
                {
                    if ((rows[row] & (0x10 >> col)) != 0)
                    {
                        FillSquare(canvas, left + col * scale, y + row * scale, scale, color);
                    }
                }
            }
        }
    }

    private static void FillSquare(RgbImage canvas, int x0, int y0, int scale, (byte R, byte G, byte B) color)
    {
        for (int y = Math.Max(y0, 0); y < Math.Min(y0 + scale, canvas.Height); y++)
        {
            for (int x = Math.Max(x0, 0); x < Math.Min(x0 + scale, canvas.Width); x++)
            {
                int o = 3 * (y * canvas.Width + x);
                canvas.Pixels[o] = color.R;
                canvas.Pixels[o + 1] = color.G;
                canvas.Pixels[o + 2] = color.B;
            }
        }
    }
}
