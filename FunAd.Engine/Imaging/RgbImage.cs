namespace FunAd.Engine.Imaging;

/// <summary>
/// An upright 8-bit RGB image owned by the engine (interleaved R,G,B rows), so that nothing
/// outside <see cref="Imaging"/> depends on the decoder library's types.
/// </summary>
public sealed class RgbImage
{
    public RgbImage(int width, int height, byte[] pixels)
    {
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), "Image dimensions must be positive.");
        if (pixels.Length != width * height * 3)
            throw new ArgumentException($"Expected {width * height * 3} bytes for a {width}x{height} RGB image, got {pixels.Length}.", nameof(pixels));
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>Row-major, 3 bytes per pixel (R, G, B).</summary>
    public byte[] Pixels { get; }
}
