namespace FunAd.Engine.Imaging;

/// <summary>
/// Bounds applied before and while decoding untrusted images, so that a crafted file cannot
/// exhaust memory or time.
/// </summary>
public sealed record DecodeLimits(long MaxFileBytes, long MaxPixels, int MaxFrames)
{
    /// <summary>64 MiB files, 50 megapixels, 1 frame read (animated files use their first frame).</summary>
    public static DecodeLimits Default { get; } = new(64L * 1024 * 1024, 50_000_000, 1);
}
