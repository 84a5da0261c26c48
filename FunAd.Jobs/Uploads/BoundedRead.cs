namespace FunAd.Jobs.Uploads;

/// <summary>
/// Reads a stream into memory without ever holding more than the limit: it asks for at most one byte
/// past the limit and stops there, so an endless or lying stream costs limit+1 bytes, not its length.
/// </summary>
internal static class BoundedRead
{
    private const int ChunkBytes = 81920;

    /// <param name="check">Called after every chunk with the bytes read so far; a reason stops the read.</param>
    public static async Task<ReadResult> ReadAsync(Stream stream, long maxBytes, Func<long, string?>? check, CancellationToken cancellation)
    {
        if (TryLength(stream) is { } length && length > maxBytes)
            return ReadResult.Refused($"file is {length} bytes, over the limit of {UploadLimits.FormatBytes(maxBytes)}");

        using var data = new MemoryStream();
        var chunk = new byte[ChunkBytes];
        while (true)
        {
            int wanted = (int)Math.Min(chunk.Length, maxBytes + 1 - data.Length);
            int read = await stream.ReadAsync(chunk.AsMemory(0, wanted), cancellation);
            if (read == 0) break;
            data.Write(chunk, 0, read);
            if (data.Length > maxBytes)
                return ReadResult.Refused($"file is over the limit of {UploadLimits.FormatBytes(maxBytes)}", data.Length);
            if (check?.Invoke(data.Length) is { } reason) return ReadResult.Refused(reason, data.Length);
        }
        return ReadResult.Read(data.ToArray());
    }

    /// <summary>The bytes left in a stream that can tell, so an oversized file is refused before it is read.</summary>
    public static long? TryLength(Stream stream)
    {
        if (!stream.CanSeek) return null;
        try { return stream.Length - stream.Position; }
        catch (NotSupportedException) { return null; }
    }
}
