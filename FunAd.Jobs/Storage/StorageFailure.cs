namespace FunAd.Jobs.Storage;

/// <summary>
/// A write to the data root or the catalogue that failed, told in words a user can act on, without
/// the server's internal paths (which an upload verdict must not show) and without EF Core's "see the
/// inner exception" wrapper (which a run's error must not stop at).
/// </summary>
public static class StorageFailure
{
    private const int NoSpace = 28;   // ENOSPC
    private const int ReadOnly = 30;  // EROFS

    /// <summary>How every reason <see cref="Storage"/> gives begins, so a caller holding only the text can tell it apart.</summary>
    public const string Prefix = "the data root";

    public const string DiskFull = Prefix + "'s disk is full";

    public static bool IsStorageReason(string? reason) => reason?.StartsWith(Prefix, StringComparison.Ordinal) == true;

    public static string Describe(Exception e) => Storage(e) ?? e.GetBaseException().Message;

    /// <summary>The reason when <paramref name="e"/> (or an exception inside it) is storage refusing writes: full, read-only, not permitted; else null.</summary>
    public static string? Storage(Exception e)
    {
        var chain = Chain(e).ToList();
        if (chain.Any(x => x is IOException io && Is(io, NoSpace) || Mentions(x, "No space left on device")))
            return $"{DiskFull} (No space left on device); free some space and try again";
        // SQLite's SQLITE_FULL: the catalogue could not grow.
        if (chain.Any(x => Mentions(x, "database or disk is full")))
            return $"{DiskFull} (the catalogue database could not grow); free some space and try again";
        if (chain.Any(x => x is IOException io && Is(io, ReadOnly) || Mentions(x, "Read-only file system") || Mentions(x, "readonly database")))
            return $"{Prefix} is read-only (Read-only file system); an administrator must make it writable again";
        if (chain.Any(x => x is UnauthorizedAccessException)) return $"{Prefix} cannot be written (permission denied)";
        return null;
    }

    private static IEnumerable<Exception> Chain(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException) yield return x;
    }

    private static bool Mentions(Exception e, string text) => e.Message.Contains(text, StringComparison.OrdinalIgnoreCase);

    // On Linux .NET puts the errno in HResult.
    private static bool Is(IOException e, int errno) => (e.HResult & 0xFFFF) == errno;
}
