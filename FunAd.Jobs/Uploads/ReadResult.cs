namespace FunAd.Jobs.Uploads;

/// <summary>The bytes of a file read within limits, or why reading stopped; <see cref="BytesRead"/> counts either way.</summary>
internal readonly record struct ReadResult(byte[]? Bytes, string? Refusal, long BytesRead)
{
    public static ReadResult Read(byte[] bytes) => new(bytes, null, bytes.LongLength);

    public static ReadResult Refused(string reason, long bytesRead = 0) => new(null, reason, bytesRead);
}
