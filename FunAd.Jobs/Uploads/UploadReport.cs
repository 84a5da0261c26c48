namespace FunAd.Jobs.Uploads;

/// <summary>
/// The verdicts on every file of an upload, in the order they were sent (archive entries in archive
/// order). Each file has exactly one verdict, so the three counts add up to <see cref="Files"/>' count.
/// </summary>
/// <param name="Error">Set when the batch could not be saved at all; then nothing of it was stored.</param>
public sealed record UploadReport(IReadOnlyList<FileVerdict> Files, string? Error = null)
{
    public bool Failed => Error is not null;
    public int Accepted => Count(UploadOutcome.Accepted);
    public int Duplicates => Count(UploadOutcome.Duplicate);
    public int Refused => Count(UploadOutcome.Refused);
    /// <summary>Accepted masks (they are counted in <see cref="Accepted"/> too).</summary>
    public int MasksAttached => Files.Count(f => f.IsMask && f.Outcome == UploadOutcome.Accepted);

    private int Count(string outcome) => Files.Count(f => f.Outcome == outcome);
}
