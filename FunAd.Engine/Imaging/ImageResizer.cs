using System.Buffers;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace FunAd.Engine.Imaging;

/// <summary>
/// Turns an image into the square float32 CHW RGB tensor (values 0..1, no mean/std normalisation)
/// that feature extractors take.
/// </summary>
/// <remarks>
/// Resampling is ImageSharp's <see cref="KnownResamplers.Triangle"/> (bilinear) in sRGB space. Like
/// PIL's bilinear, which the reference PyTorch pipelines use, it widens its kernel when shrinking, so
/// downscaled images are antialiased rather than sampled from 2x2 neighbourhoods.
/// </remarks>
public static class ImageResizer
{
    private static readonly Configuration SingleThreaded = CreateSingleThreaded();

    private static Configuration CreateSingleThreaded()
    {
        var configuration = Configuration.Default.Clone();
        configuration.MaxDegreeOfParallelism = 1;
        return configuration;
    }

    /// <summary>Returns a new 3 x <paramref name="size"/> x <paramref name="size"/> tensor.</summary>
    /// <param name="centerCrop">
    /// False: stretch the whole image to size x size. True: the paper's protocol — resize the shorter
    /// side to size*256/224 keeping the aspect ratio, then take the central size x size square.
    /// </param>
    public static float[] ToChw(RgbImage image, int size, bool centerCrop = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        var result = new float[checked(3 * size * size)];
        ToChw(image, size, centerCrop, result);
        return result;
    }

    /// <summary>
    /// Writes the tensor into <paramref name="destination"/> (exactly 3*size*size long), typically
    /// one image's slice of a batch buffer.
    /// </summary>
    public static void ToChw(RgbImage image, int size, bool centerCrop, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        int plane = checked(size * size);
        if (destination.Length != 3 * plane)
        {
            throw new ArgumentException($"Expected a destination of {3 * plane} floats (3x{size}x{size}), got {destination.Length}.", nameof(destination));
        }

        // Wrapping avoids copying the source; Clone leaves it untouched. One thread per image: callers
        // resize many images at once, beside a backbone that already uses every core.
        using var source = Image.WrapMemory<Rgb24>(SingleThreaded, image.Pixels.AsMemory(), image.Width, image.Height);
        using var resized = source.Clone(x => Resize(x, image.Width, image.Height, size, centerCrop));

        byte[] rgb = ArrayPool<byte>.Shared.Rent(3 * plane);
        try
        {
            resized.CopyPixelDataTo(rgb.AsSpan(0, 3 * plane));
            var r = destination[..plane];
            var g = destination.Slice(plane, plane);
            var b = destination.Slice(2 * plane, plane);
            for (int i = 0; i < plane; i++)
            {
                r[i] = rgb[3 * i] / 255f;
                g[i] = rgb[3 * i + 1] / 255f;
                b[i] = rgb[3 * i + 2] / 255f;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rgb);
        }
    }

    private static void Resize(IImageProcessingContext context, int width, int height, int size, bool centerCrop)
    {
        if (!centerCrop)
        {
            context.Resize(size, size, KnownResamplers.Triangle);
            return;
        }

        // Same arithmetic as torchvision's Resize(int) followed by CenterCrop(int), so that scores
        // stay comparable with published results.
        int shorter = size * 256 / 224;
        (int w, int h) = width <= height
            ? (shorter, (int)((long)shorter * height / width))
            : ((int)((long)shorter * width / height), shorter);
        int left = (int)Math.Round((w - size) / 2.0);
        int top = (int)Math.Round((h - size) / 2.0);
        context.Resize(w, h, KnownResamplers.Triangle)
            .Crop(new Rectangle(left, top, size, size));
    }
}
