using FunAd.Engine.Imaging;
using FunAd.Engine.Io;
using FunAd.Jobs.Hosting;
using FunAd.Jobs.Storage;

namespace FunAd.Jobs.Maintenance;

/// <summary>
/// Puts a backup made by <see cref="DataRootBackup"/> into a data root, for an app that is not running
/// on it: checks the backup is whole, copies the files, then the job queue, then the catalogue last
/// (a root without a catalogue is an unfinished restore, which may simply be run again), brings the
/// schema up to date as the app's start would, and runs the integrity check.
/// </summary>
public static class DataRootRestore
{
    /// <summary>Where <c>--force</c> moves what the data root held, beside it, so nothing is lost by a mistaken restore.</summary>
    public const string MovedAsidePrefix = "before-restore-";

    /// <exception cref="InvalidOperationException">The folder is not a backup, the backup is newer than this FunAd, or the data root holds a catalogue and <paramref name="force"/> is false.</exception>
    /// <exception cref="InvalidDataException">The backup is incomplete or its manifest unreadable.</exception>
    public static async Task<RestoreOutcome> RestoreAsync(string backup, string dataRoot, bool force, IProgress<string>? progress = null, CancellationToken cancellation = default)
    {
        var from = Path.GetFullPath(backup);
        var manifest = BackupManifest.Read(from);
        var source = new DataRootCatalogue(from);
        var target = new DataRootCatalogue(dataRoot);
        if (string.Equals(from.TrimEnd(Path.DirectorySeparatorChar), target.Root.TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal))
            throw new InvalidOperationException($"{from} is the data root itself.");
        VerifyWhole(from, manifest);
        if (await source.NewerMigrationsAsync(cancellation) is [var newer, ..])
            throw new InvalidOperationException($"{from}: made by a newer FunAd (catalogue schema {newer}); restore it with that version.");

        string? movedAside = null;
        if (target.Exists)
        {
            if (!force)
                throw new InvalidOperationException($"{target.Root} already holds a catalogue; restore does not overwrite it (--force moves the current data into {MovedAsidePrefix}<time>/ first).");
            movedAside = MoveAside(target);
        }

        var store = new ArtifactStore(target.Root);
        var copied = 0;
        foreach (var file in manifest.Files)
        {
            cancellation.ThrowIfCancellationRequested();
            CopyAtomically(Inside(from, file.Path), store.Resolve(file.Path));
            if (++copied % 1000 == 0) progress?.Report($"{copied} files copied");
        }
        progress?.Report($"{copied} files copied");
        // Databases last, the catalogue very last: until it is there, the root reads as not restored.
        foreach (var database in manifest.Databases.OrderBy(d => d.Path == Path.GetFileName(target.DatabasePath)))
            SqliteSnapshot.Copy(Inside(from, database.Path), Path.Combine(target.Root, database.Path));
        progress?.Report("databases restored");

        await CatalogueSetup.MigrateAsync(target, cancellation);
        var check = new IntegrityCheck(target, store, DecodeLimits.Default);
        // Nothing writes into a root being restored, so no file is too recent to judge.
        var report = await check.CheckAsync(leaveRecent: TimeSpan.Zero, cancellation);
        return new RestoreOutcome(manifest, movedAside, report);
    }

    /// <summary>Every file the manifest lists is in the backup with its size, and the catalogue is among the databases.</summary>
    private static void VerifyWhole(string from, BackupManifest manifest)
    {
        if (!manifest.Databases.Any(d => d.Path == new CatalogueOptions().CatalogueFile))
            throw new InvalidDataException($"{from}: the backup holds no catalogue.");
        foreach (var entry in manifest.Databases.Concat(manifest.Files))
        {
            var path = Inside(from, entry.Path);
            // A link in a backup could carry any file of the server into a project (the data-protection
            // key, served to every viewer); a FIFO would hang the copy. Backups hold plain files only.
            if (FileKinds.Of(path) != FileKind.Missing) FileKinds.RequirePlainFileUnder(from, path);
            var file = new FileInfo(path);
            if (!file.Exists) throw new InvalidDataException($"{from}: the backup is incomplete ({entry.Path} is missing).");
            if (file.Length != entry.Size)
                throw new InvalidDataException($"{from}: the backup is damaged ({entry.Path} has {file.Length} bytes, the manifest says {entry.Size}).");
        }
    }

    /// <summary>Moves the catalogue (with its log), the job queue and projects/ into a fresh folder beside them; the feature cache stays, as it is keyed by content.</summary>
    private static string MoveAside(DataRootCatalogue target)
    {
        var aside = Path.Combine(target.Root, MovedAsidePrefix + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss"));
        Directory.CreateDirectory(aside);
        foreach (var database in new[] { target.DatabasePath, target.JobsDatabasePath })
        foreach (var file in new[] { database, database + "-wal", database + "-shm", database + "-journal" }.Where(File.Exists))
            File.Move(file, Path.Combine(aside, Path.GetFileName(file)));
        foreach (var folder in new[] { "projects", DataRootFiles.SpoolFolder }.Select(f => Path.Combine(target.Root, f)).Where(Directory.Exists))
            Directory.Move(folder, Path.Combine(aside, Path.GetFileName(folder)));
        return aside;
    }

    /// <summary>A path of the manifest inside the backup folder; a manifest pointing elsewhere is refused.</summary>
    private static string Inside(string root, string relativePath)
    {
        var full = Path.GetFullPath(Path.Combine(root, relativePath));
        if (!full.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new InvalidDataException($"{root}: the manifest names a path outside the backup ({relativePath}).");
        return full;
    }

    /// <summary>Copies under a temporary name and moves into place, as the store writes: a killed restore leaves whole files and *.partial ones only.</summary>
    private static void CopyAtomically(string from, string to)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(to)!);
        var temporary = $"{to}.{Guid.NewGuid().ToString("N")[..8]}{ArtifactStore.TemporarySuffix}";
        try
        {
            File.Copy(from, temporary);
            File.Move(temporary, to, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
