using System.Reflection;
using FunAd.Jobs.Storage;
using Microsoft.EntityFrameworkCore;

namespace FunAd.Jobs.Maintenance;

/// <summary>
/// A consistent copy of a data root, taken while the app runs: snapshots of both SQLite databases,
/// then the files the snapshot's rows name (images, masks, thumbnails, heatmaps) and the runs'
/// folders (models, ONNX files, checkpoints), then <see cref="BackupManifest"/>. The backup folder has
/// the data root's layout. The feature cache, tmp/ and temporary files are left out.
/// </summary>
/// <remarks>
/// The app writes a file before the row naming it, so once the catalogue snapshot is taken every row
/// in it has its file, whatever is written after. Files the snapshot does not name (an upload saved
/// after it) are not copied, so a restored root holds no file without a row.
/// </remarks>
public static class DataRootBackup
{
    /// <exception cref="InvalidOperationException">No catalogue in <paramref name="dataRoot"/>, or <paramref name="destination"/> is not a new or empty folder.</exception>
    public static async Task<BackupManifest> CreateAsync(string dataRoot, string destination, IProgress<string>? progress = null, CancellationToken cancellation = default)
    {
        var source = new DataRootCatalogue(dataRoot);
        if (!source.Exists) throw new InvalidOperationException($"{source.Root}: no catalogue to back up ({Path.GetFileName(source.DatabasePath)} is missing).");
        var target = Path.GetFullPath(destination);
        if (File.Exists(target)) throw new InvalidOperationException($"{target} is a file; back up into a new or empty folder.");
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
            throw new InvalidOperationException($"{target} is not empty; back up into a new or empty folder.");
        Directory.CreateDirectory(target);
        var copy = new DataRootCatalogue(target);

        SqliteSnapshot.Copy(source.DatabasePath, copy.DatabasePath);
        progress?.Report($"{Path.GetFileName(copy.DatabasePath)}: snapshot taken");
        // The job queue second: a job naming a run the catalogue snapshot lacks fails harmlessly,
        // whereas a queued run whose job were missing would wait for ever.
        var databases = new List<BackupManifest.FileEntry> { Entry(copy.DatabasePath) };
        if (File.Exists(source.JobsDatabasePath))
        {
            SqliteSnapshot.Copy(source.JobsDatabasePath, copy.JobsDatabasePath);
            databases.Add(Entry(copy.JobsDatabasePath));
            progress?.Report($"{Path.GetFileName(copy.JobsDatabasePath)}: snapshot taken");
        }

        CatalogueFiles named;
        BackupManifest.Totals counts;
        await using (var db = copy.CreateDbContext())
        {
            named = await CatalogueFiles.LoadAsync(db, cancellation);
            counts = new BackupManifest.Totals(await db.Projects.CountAsync(cancellation), await db.Images.CountAsync(cancellation),
                await db.Runs.CountAsync(cancellation), await db.Reviews.CountAsync(cancellation));
        }

        var store = new ArtifactStore(source.Root);
        var files = new List<BackupManifest.FileEntry>();
        var missing = new List<string>();
        foreach (var path in FilesToCopy(store, named))
        {
            cancellation.ThrowIfCancellationRequested();
            var to = Path.Combine(target, path);
            try
            {
                var from = store.Resolve(path);
                Directory.CreateDirectory(Path.GetDirectoryName(to)!);
                File.Copy(from, to);
                files.Add(new BackupManifest.FileEntry(path, new FileInfo(to).Length));
                if (files.Count % 1000 == 0) progress?.Report($"{files.Count} files copied");
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or ArgumentException)
            {
                // A named file that is not there is a problem of the data root (funad check shows it);
                // a file of a run folder that vanished was a checkpoint being replaced.
                if (named.Files.Contains(path)) missing.Add(path);
            }
        }
        progress?.Report($"{files.Count} files copied");

        var manifest = new BackupManifest
        {
            CreatedAt = DateTimeOffset.UtcNow,
            FunAdVersion = Version,
            Source = source.Root,
            Schema = await copy.SchemaAsync(cancellation),
            Counts = counts,
            Databases = databases,
            Files = files,
            Missing = missing,
        };
        manifest.Write(target);
        return manifest;
    }

    private static string Version =>
        typeof(DataRootBackup).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(DataRootBackup).Assembly.GetName().Version?.ToString() ?? "unknown";

    private static BackupManifest.FileEntry Entry(string file) => new(Path.GetFileName(file), new FileInfo(file).Length);

    /// <summary>The named files and everything in the runs' folders, temporary files left out, each once, in order.</summary>
    private static SortedSet<string> FilesToCopy(ArtifactStore store, CatalogueFiles named)
    {
        var files = new SortedSet<string>(named.Files, StringComparer.Ordinal);
        foreach (var folder in named.Folders)
        {
            string full;
            try { full = store.Resolve(folder); }
            catch (ArgumentException) { continue; }
            foreach (var file in FilesUnder(full).Where(f => !IsTemporary(f))) files.Add(DataRootFiles.Relative(store, file));
        }
        return files;
    }

    /// <summary>Every file under a folder; a training run may swap its checkpoint folders meanwhile, so a folder that vanishes is skipped.</summary>
    private static IEnumerable<string> FilesUnder(string folder)
    {
        string[] files, folders;
        try
        {
            files = Directory.GetFiles(folder);
            folders = Directory.GetDirectories(folder);
        }
        catch (DirectoryNotFoundException)
        {
            yield break;
        }
        foreach (var file in files) yield return file;
        foreach (var inner in folders)
        foreach (var file in FilesUnder(inner))
            yield return file;
    }

    /// <summary>Writes in progress: the store's temporary names and the engine's (model.json.tmp, feature files).</summary>
    private static bool IsTemporary(string path) =>
        path.EndsWith(ArtifactStore.TemporarySuffix, StringComparison.Ordinal) || path.EndsWith(".tmp", StringComparison.Ordinal);
}
