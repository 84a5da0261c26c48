using FunAd.Engine.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace FunAd.Jobs.Uploads;

/// <summary>
/// Small JPEG previews, so a grid of ten thousand images loads thumbnails of a few KiB instead of the
/// originals. Images are shrunk to fit <see cref="LongestSide"/>, never enlarged.
/// </summary>
internal static class ThumbnailEncoder
{
    public const int LongestSide = 192;
    public const int Quality = 80;

    public static byte[] Encode(RgbImage image)
    {
        var (width, height) = FitWithin(image.Width, image.Height, LongestSide);
        using var source = Image.WrapMemory<Rgb24>(SingleThreadedImaging.Configuration, image.Pixels.AsMemory(), image.Width, image.Height);
        using var thumbnail = source.Clone(x => x.Resize(width, height));
        using var output = new MemoryStream();
        thumbnail.SaveAsJpeg(output, new JpegEncoder { Quality = Quality });
        return output.ToArray();
    }

    /// <summary>The size keeping the aspect ratio with the longest side at most <paramref name="side"/>, each side at least 1.</summary>
    internal static (int Width, int Height) FitWithin(int width, int height, int side)
    {
        if (width <= side && height <= side) return (width, height);
        double scale = (double)side / Math.Max(width, height);
        return (Math.Max(1, (int)Math.Round(width * scale)), Math.Max(1, (int)Math.Round(height * scale)));
    }
}
