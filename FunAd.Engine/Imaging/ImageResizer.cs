namespace FunAd.Engine.Imaging;

/// <summary>
/// Turns an image into the square float32 CHW RGB tensor (values 0..1, no mean/std normalisation)
/// that feature extractors take.
/// </summary>
/// <remarks>
/// Resampling is a triangle (bilinear) filter in sRGB space (<see cref="TriangleResampler"/>, the
/// kernel of ImageSharp's Triangle resampler). Like PIL's bilinear, which the reference PyTorch
/// pipelines use, it widens its kernel when shrinking, so downscaled images are antialiased rather
/// than sampled from 2x2 neighbourhoods.
/// </remarks>
public static class ImageResizer
{
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

        if (!centerCrop)
        {
            TriangleResampler.ResizeToChw(image, size, size, 0, 0, size, destination);
            return;
        }
        // Same arithmetic as torchvision's Resize(int) followed by CenterCrop(int), so that scores
        // stay comparable with published results.
        int shorter = size * 256 / 224;
        (int w, int h) = image.Width <= image.Height
            ? (shorter, (int)((long)shorter * image.Height / image.Width))
            : ((int)((long)shorter * image.Width / image.Height), shorter);
        int left = (int)Math.Round((w - size) / 2.0);
        int top = (int)Math.Round((h - size) / 2.0);
        TriangleResampler.ResizeToChw(image, w, h, left, top, size, destination);
    }
}
