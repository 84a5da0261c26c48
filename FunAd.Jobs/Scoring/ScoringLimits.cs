namespace FunAd.Jobs.Scoring;

/// <summary>
/// What one request to score new images may cost, and how many such requests run at once
/// (<c>FunAd:Scoring</c>). Images are decoded one at a time, so a request's memory is about one
/// decoded image plus the batch; the budget bounds the time and the bytes held, the slots bound how
/// many run side by side. With the defaults the server stays well under 2 GiB however it is attacked.
/// </summary>
public sealed class ScoringLimits
{
    public const string Section = "FunAd:Scoring";

    /// <summary>Images per request.</summary>
    public int MaxImages { get; set; } = 64;

    /// <summary>Pixels the images of one request may declare in all (their headers are read first).</summary>
    public long MaxPixelsPerRequest { get; set; } = 100_000_000;

    /// <summary>Bytes the files of one request may hold in all.</summary>
    public long MaxBytesPerRequest { get; set; } = 128L * 1024 * 1024;

    /// <summary>Scoring requests running at once in this process; more wait briefly, then get "busy".</summary>
    public int MaxConcurrent { get; set; } = 2;

    /// <summary>How long a request waits for a free slot before it is refused as busy.</summary>
    public TimeSpan WaitForSlot { get; set; } = TimeSpan.FromSeconds(5);

    public static ScoringLimits Default { get; } = new();

    /// <summary>Refuses a request by its image count and bytes, before its files are read into memory.</summary>
    /// <exception cref="ArgumentException">More images than <see cref="MaxImages"/>.</exception>
    /// <exception cref="ScoringRefusedException">More bytes than <see cref="MaxBytesPerRequest"/> (413).</exception>
    public void CheckRequest(int images, long bytes)
    {
        if (images > MaxImages) throw new ArgumentException($"At most {MaxImages} images per request; send more requests for more.");
        if (bytes > MaxBytesPerRequest)
            throw new ScoringRefusedException(ScoringRefusedException.TooLarge,
                $"These files hold {bytes / 1048576.0:F1} MiB, over the {MaxBytesPerRequest / 1048576} MiB one request may score: send fewer at a time.");
    }
}

/// <summary>A scoring request refused as a whole: over the request's budget (413) or the server busy (429).</summary>
public sealed class ScoringRefusedException(int statusCode, string message) : Exception(message)
{
    public const int TooLarge = 413;
    public const int Busy = 429;

    public int StatusCode { get; } = statusCode;
}
