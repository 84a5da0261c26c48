using System.IO.Compression;

namespace FunAd.Jobs.Uploads;

/// <summary>Where an item's bytes come from: a loose uploaded file or an entry of an uploaded archive.</summary>
internal abstract class ItemSource
{
    public abstract Task<ReadResult> ReadAsync(long maxBytes, CancellationToken cancellation);

    public static ItemSource Of(UploadedFile file) => new LooseFile(file);

    public static ItemSource Of(OpenedArchive archive, ZipArchiveEntry entry) => new ArchiveEntry(archive, entry);

    private sealed class LooseFile(UploadedFile file) : ItemSource
    {
        public override async Task<ReadResult> ReadAsync(long maxBytes, CancellationToken cancellation)
        {
            try
            {
                await using var stream = file.Open();
                return await BoundedRead.ReadAsync(stream, maxBytes, check: null, cancellation);
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
            {
                // A file part the client stopped sending, or a form file that is gone: this file only.
                return ReadResult.Refused($"could not be read: {e.Message}");
            }
        }
    }

    private sealed class ArchiveEntry(OpenedArchive archive, ZipArchiveEntry entry) : ItemSource
    {
        public override Task<ReadResult> ReadAsync(long maxBytes, CancellationToken cancellation) =>
            archive.ReadEntryAsync(entry, maxBytes, cancellation);
    }
}
