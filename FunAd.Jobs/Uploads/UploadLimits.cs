using System.Globalization;

namespace FunAd.Jobs.Uploads;

/// <summary>
/// Bounds on what one upload may make the server read, expand and keep. Bound from the
/// "FunAd:Uploads" configuration section; the image decoder's own limits (<c>DecodeLimits</c>) apply too.
/// </summary>
public sealed record UploadLimits
{
    public static UploadLimits Default { get; } = new();

    /// <summary>Largest image or mask, loose or inside an archive (default 64 MiB, the decoder's default).</summary>
    public long MaxFileBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Largest zip archive as uploaded, i.e. its spooled copy (default 4 GiB).</summary>
    public long MaxArchiveBytes { get; init; } = 4L * 1024 * 1024 * 1024;

    /// <summary>Most bytes the entries of one archive may expand to, counted while reading (default 4 GiB).</summary>
    public long MaxExpandedBytes { get; init; } = 4L * 1024 * 1024 * 1024;

    /// <summary>Most entries (files and folders) in one archive's central directory (default 100,000).</summary>
    public int MaxEntries { get; init; } = 100_000;

    /// <summary>
    /// Largest expanded/compressed ratio of an entry (default 200): image formats are compressed
    /// already, so an entry that expands far more is a bomb, not a picture.
    /// </summary>
    public int MaxCompressionRatio { get; init; } = 200;

    /// <summary>Entries are only held to the ratio once they expand past this many bytes (default 1 MiB).</summary>
    public long CompressionRatioFloorBytes { get; init; } = 1024 * 1024;

    /// <summary>Longest name (with its folders, and its archive's name for an entry) kept (default 1000 characters).</summary>
    public int MaxNameLength { get; init; } = 1000;

    /// <summary>Throws when a limit is not positive.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxFileBytes, 1, nameof(MaxFileBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxArchiveBytes, 1, nameof(MaxArchiveBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxExpandedBytes, 1, nameof(MaxExpandedBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxEntries, 1, nameof(MaxEntries));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxCompressionRatio, 1, nameof(MaxCompressionRatio));
        ArgumentOutOfRangeException.ThrowIfLessThan(CompressionRatioFloorBytes, 0, nameof(CompressionRatioFloorBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxNameLength, 1, nameof(MaxNameLength));
    }

    /// <summary>A size as people read it in a reason: "4 GiB", "64 MiB", "1500 bytes" (exact, never rounded).</summary>
    internal static string FormatBytes(long bytes)
    {
        const long KiB = 1024, MiB = KiB * 1024, GiB = MiB * 1024;
        return bytes switch
        {
            >= GiB when bytes % GiB == 0 => string.Create(CultureInfo.InvariantCulture, $"{bytes / GiB} GiB"),
            >= MiB when bytes % MiB == 0 => string.Create(CultureInfo.InvariantCulture, $"{bytes / MiB} MiB"),
            >= KiB when bytes % KiB == 0 => string.Create(CultureInfo.InvariantCulture, $"{bytes / KiB} KiB"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes"),
        };
    }
}
