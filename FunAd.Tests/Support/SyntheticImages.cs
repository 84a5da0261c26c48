using FunAd.Engine.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FunAd.Tests.Support;

/// <summary>Small images built in code, so tests need no binary fixtures.</summary>
public static class SyntheticImages
{
    /// <summary>An ImageSharp image whose every pixel is <paramref name="pick"/>(x, y).</summary>
    public static Image<TPixel> Create<TPixel>(int width, int height, Func<int, int, TPixel> pick)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        var image = new Image<TPixel>(width, height);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                image[x, y] = pick(x, y);
            }
        }
        return image;
    }

    /// <summary>An engine image whose every pixel is <paramref name="pick"/>(x, y).</summary>
    public static RgbImage CreateRgb(int width, int height, Func<int, int, (byte R, byte G, byte B)> pick)
    {
        var pixels = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                var (r, g, b) = pick(x, y);
                int o = 3 * (y * width + x);
                (pixels[o], pixels[o + 1], pixels[o + 2]) = (r, g, b);
            }
        }
        return new RgbImage(width, height, pixels);
    }

    public static (byte R, byte G, byte B) PixelAt(RgbImage image, int x, int y)
    {
        int o = 3 * (y * image.Width + x);
        return (image.Pixels[o], image.Pixels[o + 1], image.Pixels[o + 2]);
    }

    /// <summary>True when every channel of <paramref name="actual"/> is within <paramref name="tolerance"/> of <paramref name="expected"/>.</summary>
    public static bool Near((byte R, byte G, byte B) actual, (byte R, byte G, byte B) expected, int tolerance) =>
        Math.Abs(actual.R - expected.R) <= tolerance
        && Math.Abs(actual.G - expected.G) <= tolerance
        && Math.Abs(actual.B - expected.B) <= tolerance;
}
