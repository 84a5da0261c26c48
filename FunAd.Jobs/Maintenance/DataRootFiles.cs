using FunAd.Jobs.Storage;

namespace FunAd.Jobs.Maintenance;

/// <summary>The files of a data root the maintenance tools look at, as '/'-separated paths relative to the root.</summary>
internal static class DataRootFiles
{
    /// <summary>The folder where uploads spool archives; nothing in it outlives the request that wrote it.</summary>
    public const string SpoolFolder = "tmp";

    /// <summary>A project's folders whose every file should be named by an image row.</summary>
    public static readonly string[] ImageFolders = ["images", "masks", "thumbnails"];

    public static string Relative(ArtifactStore store, string fullPath) => Path.GetRelativePath(store.Root, fullPath).Replace('\\', '/');

    /// <summary><c>*.partial</c> files anywhere under the root, and every file in <c>tmp/</c>.</summary>
    public static List<string> Temporary(ArtifactStore store)
    {
        var found = new SortedSet<string>(store.FindTemporaryFiles().Select(f => Relative(store, f)), StringComparer.Ordinal);
        var spool = Path.Combine(store.Root, SpoolFolder);
        if (Directory.Exists(spool))
            found.UnionWith(Directory.EnumerateFiles(spool, "*", SearchOption.AllDirectories).Select(f => Relative(store, f)));
        return [.. found];
    }

    /// <summary>Files in <c>projects/&lt;id&gt;/images|masks|thumbnails</c>, temporary files left out (they are counted as such).</summary>
    public static List<string> InImageFolders(ArtifactStore store)
    {
        var found = new List<string>();
        var projects = Path.Combine(store.Root, "projects");
        if (!Directory.Exists(projects)) return found;
        foreach (var project in Directory.EnumerateDirectories(projects).Where(d => int.TryParse(Path.GetFileName(d), out _)))
        foreach (var folder in ImageFolders.Select(f => Path.Combine(project, f)).Where(Directory.Exists))
            found.AddRange(Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .Where(f => !f.EndsWith(ArtifactStore.TemporarySuffix, StringComparison.Ordinal))
                .Select(f => Relative(store, f)));
        found.Sort(StringComparer.Ordinal);
        return found;
    }

    /// <summary>Whether the file was written after <paramref name="cutoff"/> (UTC); a file that vanished counts as recent, so nothing acts on it.</summary>
    public static bool WrittenAfter(ArtifactStore store, string relativePath, DateTime? cutoff)
    {
        if (cutoff is null) return false;
        var info = new FileInfo(store.Resolve(relativePath));
        return !info.Exists || info.LastWriteTimeUtc > cutoff.Value;
    }

    /// <summary>Whether a stored file is there; a path that would leave the root is not.</summary>
    public static bool Exists(ArtifactStore store, string? relativePath)
    {
        if (string.IsNullOrEmpty(relativePath)) return false;
        try { return store.Exists(relativePath); }
        catch (ArgumentException) { return false; }
    }
}
