namespace FunAd.Jobs.Uploads;

/// <summary>
/// One file of an upload: its name as sent ('/'-separated folders for folder uploads) and a way to open
/// its content. <see cref="Open"/> is called at most once, at some point during the import, and the
/// importer disposes the stream; it may be non-seekable (a request body).
/// </summary>
public sealed record UploadedFile(string Name, Func<Stream> Open)
{
    /// <summary>A file whose content is already in memory (tests, scripts).</summary>
    public static UploadedFile FromBytes(string name, byte[] content) =>
        new(name, () => new MemoryStream(content, writable: false));
}
