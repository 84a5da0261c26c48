namespace FunAd.Jobs.Uploads;

/// <summary>
/// The stored files that imports running in this process are writing or have written and not yet
/// saved rows for. Stored paths are content-addressed, so two concurrent uploads of the same picture
/// write the same file; a failing import must not delete a file the other is about to reference. A
/// file is only deleted when no other import claims it and no row references it, and both are checked
/// under the same lock that claiming takes, so no claim can slip in between the check and the delete.
/// </summary>
/// <remarks>
/// This covers imports within one process, which is how the application runs with SQLite (one web
/// process owns the catalogue). Two processes importing into the same project at once (possible on a
/// shared PostgreSQL catalogue) could still race here.
/// </remarks>
internal static class StoredFileClaims
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static readonly Dictionary<string, int> Claims = new(StringComparer.Ordinal);

    /// <summary>Claims a file (by absolute path) before writing it.</summary>
    public static async Task ClaimAsync(string fullPath)
    {
        await Gate.WaitAsync();
        try { Claims[fullPath] = Claims.GetValueOrDefault(fullPath) + 1; }
        finally { Gate.Release(); }
    }

    public static async Task ReleaseAsync(string fullPath)
    {
        await Gate.WaitAsync();
        try
        {
            int left = Claims.GetValueOrDefault(fullPath) - 1;
            if (left > 0) Claims[fullPath] = left;
            else Claims.Remove(fullPath);
        }
        finally { Gate.Release(); }
    }

    /// <summary>
    /// Deletes a file the caller claims, unless another import claims it too or
    /// <paramref name="isReferenced"/> says a saved row points at it. Returns whether it was deleted.
    /// </summary>
    public static async Task<bool> DeleteIfUnusedAsync(string fullPath, Func<Task<bool>> isReferenced)
    {
        await Gate.WaitAsync();
        try
        {
            if (Claims.GetValueOrDefault(fullPath) > 1 || await isReferenced()) return false;
            File.Delete(fullPath);
            return true;
        }
        finally { Gate.Release(); }
    }
}
