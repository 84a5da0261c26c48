using System.IO.Compression;
using FunAd.Jobs.Storage;

namespace FunAd.Jobs.Uploads;

/// <summary>
/// An uploaded zip, spooled to a temporary file under the data root (ZipArchive needs to seek, a request
/// body cannot) and opened for reading its entries within <see cref="UploadLimits"/>. Disposing deletes
/// the temporary file; one left by a killed process carries the store's temporary suffix, so the
/// start-up check removes it.
/// </summary>
internal sealed class OpenedArchive : IDisposable
{
    private readonly FileStream _spool;
    private readonly ZipArchive _zip;
    private readonly UploadLimits _limits;
    private long _expandedBytes;

    private OpenedArchive(FileStream spool, ZipArchive zip, UploadLimits limits)
    {
        _spool = spool;
        _zip = zip;
        _limits = limits;
    }

    /// <summary>Entries in archive order, folders included.</summary>
    public IReadOnlyList<ZipArchiveEntry> Entries => _zip.Entries;

    /// <summary>Spools and opens the archive, or says why it cannot be opened.</summary>
    public static async Task<(OpenedArchive? Archive, string? Refusal)> OpenAsync(
        UploadedFile file, ArtifactStore store, UploadLimits limits, CancellationToken cancellation)
    {
        var folder = Path.Combine(store.Root, "tmp");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"upload-{Guid.NewGuid():N}.zip{ArtifactStore.TemporarySuffix}");
        var spool = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        var opened = false;
        try
        {
            if (await SpoolAsync(file, spool, limits.MaxArchiveBytes, cancellation) is { } spoolRefusal)
                return (null, spoolRefusal);

            if (ZipEntryCounter.Count(spool, stopAfter: limits.MaxEntries) is not { } entries)
                return (null, "archive is corrupt: it has no zip directory (truncated, or not a zip)");
            if (entries > limits.MaxEntries)
                return (null, $"archive has more than {limits.MaxEntries} entries");

            spool.Position = 0;
            ZipArchive zip;
            try
            {
                zip = new ZipArchive(spool, ZipArchiveMode.Read, leaveOpen: true);
                _ = zip.Entries.Count; // reads the central directory now, so its errors are the archive's
            }
            catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException or NotSupportedException)
            {
                return (null, $"archive is corrupt: {e.Message}");
            }
            opened = true;
            return (new OpenedArchive(spool, zip, limits), null);
        }
        finally
        {
            if (!opened) await spool.DisposeAsync();
        }
    }

    private static async Task<string?> SpoolAsync(UploadedFile file, FileStream spool, long maxBytes, CancellationToken cancellation)
    {
        Stream source;
        try { source = file.Open(); }
        catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            return $"could not be read: {e.Message}";
        }

        await using (source)
        {
            if (BoundedRead.TryLength(source) is { } length && length > maxBytes)
                return $"archive is {length} bytes, over the limit of {UploadLimits.FormatBytes(maxBytes)}";
            var buffer = new byte[81920];
            try
            {
                int read;
                while ((read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, maxBytes + 1 - spool.Length)), cancellation)) > 0)
                {
                    await spool.WriteAsync(buffer.AsMemory(0, read), cancellation);
                    if (spool.Length > maxBytes) return $"archive is over the limit of {UploadLimits.FormatBytes(maxBytes)}";
                }
            }
            catch (IOException e)
            {
                return $"could not be read: {e.Message}";
            }
        }
        await spool.FlushAsync(cancellation);
        return null;
    }

    /// <summary>
    /// Reads one entry, counting the bytes that really come out of the decompressor (the sizes the
    /// archive declares are only used to refuse early). Every byte read counts against the archive's
    /// expansion budget, refused entries' too.
    /// </summary>
    public async Task<ReadResult> ReadEntryAsync(ZipArchiveEntry entry, long maxBytes, CancellationToken cancellation)
    {
        if (_expandedBytes >= _limits.MaxExpandedBytes) return ReadResult.Refused(ExpandsBeyondLimit);
        if (entry.Length > maxBytes)
            return ReadResult.Refused($"file is {entry.Length} bytes, over the limit of {UploadLimits.FormatBytes(maxBytes)}");

        long compressed = Math.Max(1, entry.CompressedLength);
        long seen = 0;
        string? Check(long expanded)
        {
            seen = expanded;
            if (_expandedBytes + expanded > _limits.MaxExpandedBytes) return ExpandsBeyondLimit;
            if (expanded > _limits.CompressionRatioFloorBytes && (double)expanded / compressed > _limits.MaxCompressionRatio)
                return $"entry expands more than {_limits.MaxCompressionRatio}:1 from {entry.CompressedLength} compressed bytes, refused as a likely zip bomb";
            return null;
        }

        ReadResult result;
        try
        {
            await using var stream = entry.Open();
            result = await BoundedRead.ReadAsync(stream, maxBytes, Check, cancellation);
        }
        catch (Exception e) when (e is InvalidDataException or NotSupportedException or IOException or ArgumentException)
        {
            // Unknown compression methods, encryption, bad deflate data and lying sizes all land here.
            _expandedBytes += seen;
            return ReadResult.Refused($"entry cannot be read from the archive: {e.Message}");
        }
        _expandedBytes += result.BytesRead;
        return result;
    }

    private string ExpandsBeyondLimit => $"archive expands beyond {UploadLimits.FormatBytes(_limits.MaxExpandedBytes)}";

    public void Dispose()
    {
        _zip.Dispose();
        _spool.Dispose();
    }
}
