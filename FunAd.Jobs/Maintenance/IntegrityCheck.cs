using System.Data;
using FunAd.Engine.Imaging;
using FunAd.Engine.Models;
using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Storage;
using Microsoft.EntityFrameworkCore;

namespace FunAd.Jobs.Maintenance;

/// <summary>
/// Inspects a data root against its catalogue: temporary files left by killed writes, rows whose file
/// is gone, files no row references, and SQLite's own integrity check of the catalogue (on PostgreSQL
/// that step is skipped and the report says so: the server has no such check of a whole database).
/// <see cref="RepairAsync"/> fixes what can be fixed and never deletes a file a row references.
/// </summary>
/// <remarks>
/// The app writes a file before the row that names it, so a file without a row may be an upload or a
/// run in progress, never a finished one. Where the check may run beside the app (the command line),
/// temporary and unreferenced files younger than <see cref="RecentWrites"/> are left alone.
/// </remarks>
public sealed class IntegrityCheck(IDbContextFactory<CatalogueDbContext> catalogue, ArtifactStore store, DecodeLimits decodeLimits)
{
    /// <summary>The grace period of files that may belong to a write in progress (an import of a large archive takes minutes).</summary>
    public static readonly TimeSpan RecentWrites = TimeSpan.FromHours(1);

    public string Root => store.Root;

    /// <param name="leaveRecent">Temporary and unreferenced files younger than this are listed as recent, not as problems (zero: none are).</param>
    public async Task<IntegrityReport> CheckAsync(TimeSpan leaveRecent, CancellationToken cancellation = default)
    {
        var cutoff = Cutoff(leaveRecent);
        var recent = new List<string>();
        await using var db = await catalogue.CreateDbContextAsync(cancellation);
        var databaseCheck = db.Database.IsSqlite() ? await SqliteIntegrityCheckAsync(db, cancellation) : null;

        var temporary = new List<string>();
        foreach (var path in DataRootFiles.Temporary(store)) (DataRootFiles.WrittenAfter(store, path, cutoff) ? recent : temporary).Add(path);

        // Files are listed before rows are read: a row committed in between then covers its file, so
        // an upload finishing during the check is never taken for an orphan.
        var inImageFolders = DataRootFiles.InImageFolders(store);
        var references = await CatalogueFiles.LoadAsync(db, cancellation);
        var unreferenced = new List<string>();
        foreach (var path in inImageFolders.Where(p => !references.References(p)))
            (DataRootFiles.WrittenAfter(store, path, cutoff) ? recent : unreferenced).Add(path);

        var (images, masks, thumbnails) = await FindMissingImageFilesAsync(db, cancellation);
        return new IntegrityReport
        {
            Root = store.Root,
            DatabaseCheck = databaseCheck ?? [IntegrityReport.DatabaseCheckSkipped],
            DatabaseChecked = databaseCheck is not null,
            TemporaryFiles = temporary,
            MissingImages = images,
            MissingMasks = masks,
            MissingThumbnails = thumbnails,
            MissingRunFiles = await FindMissingRunFilesAsync(db, cancellation),
            MissingHeatmaps = await FindMissingHeatmapsAsync(db, cancellation),
            UnreferencedFiles = unreferenced,
            RecentFiles = recent,
        };
    }

    /// <summary>
    /// Checks, fixes what can be fixed and checks again: removes temporary and unreferenced files
    /// (older than <paramref name="leaveRecent"/>), deletes the rows of lost images with their scores
    /// and verdicts, forgets missing masks and heatmaps, and draws missing thumbnails again. Succeeded
    /// runs without their model and a damaged database are only reported.
    /// </summary>
    public async Task<RepairOutcome> RepairAsync(TimeSpan leaveRecent, CancellationToken cancellation = default)
    {
        var before = await CheckAsync(leaveRecent, cancellation);
        var repair = new IntegrityRepair(catalogue, store, decodeLimits);
        repair.RemoveTemporaryFiles(before.TemporaryFiles, Cutoff(leaveRecent));
        await repair.DeleteLostImagesAsync(before.MissingImages, cancellation);
        await repair.ForgetMissingMasksAsync(before.MissingMasks, cancellation);
        await repair.RedrawThumbnailsAsync(before.MissingThumbnails, cancellation);
        await repair.ForgetMissingHeatmapsAsync(before.MissingHeatmaps, cancellation);
        // Last, so that the files of images whose rows were just deleted go too.
        await repair.DeleteUnreferencedFilesAsync(Cutoff(leaveRecent), cancellation);
        var after = await CheckAsync(leaveRecent, cancellation);
        return new RepairOutcome(before, repair.Actions, after);
    }

    /// <summary>Deletes the given temporary files (as a report lists them); returns how many went. For start-up, where nothing writes yet.</summary>
    public int RemoveTemporaryFiles(IEnumerable<string> paths)
    {
        var repair = new IntegrityRepair(catalogue, store, decodeLimits);
        return repair.RemoveTemporaryFiles(paths, cutoff: null);
    }

    private static DateTime? Cutoff(TimeSpan leaveRecent) => leaveRecent > TimeSpan.Zero ? DateTime.UtcNow - leaveRecent : null;

    private static async Task<IReadOnlyList<string>> SqliteIntegrityCheckAsync(CatalogueDbContext db, CancellationToken cancellation)
    {
        var connection = db.Database.GetDbConnection();
        if (connection.State != ConnectionState.Open) await db.Database.OpenConnectionAsync(cancellation);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation)) lines.Add(reader.GetString(0));
        return lines;
    }

    private async Task<(List<MissingFile> Images, List<MissingFile> Masks, List<MissingFile> Thumbnails)> FindMissingImageFilesAsync(
        CatalogueDbContext db, CancellationToken cancellation)
    {
        var images = new List<MissingFile>();
        var masks = new List<MissingFile>();
        var thumbnails = new List<MissingFile>();
        var rows = await db.Images.AsNoTracking().OrderBy(i => i.Id)
            .Select(i => new { i.Id, i.ProjectId, i.ContentHash, i.StoredPath, i.MaskPath }).ToListAsync(cancellation);
        foreach (var row in rows)
        {
            if (!DataRootFiles.Exists(store, row.StoredPath))
            {
                // The mask and thumbnail of a lost image go with its row; listing them too would count one loss thrice.
                images.Add(new MissingFile(row.StoredPath, row.Id));
                continue;
            }
            if (row.MaskPath is { } mask && !DataRootFiles.Exists(store, mask)) masks.Add(new MissingFile(mask, row.Id));
            var thumbnail = ArtifactStore.ThumbnailPath(row.ProjectId, row.ContentHash);
            if (!DataRootFiles.Exists(store, thumbnail)) thumbnails.Add(new MissingFile(thumbnail, row.Id));
        }
        return (images, masks, thumbnails);
    }

    private async Task<List<MissingFile>> FindMissingRunFilesAsync(CatalogueDbContext db, CancellationToken cancellation)
    {
        var missing = new List<MissingFile>();
        var runs = await db.Runs.AsNoTracking().Where(r => r.Status == RunStatus.Succeeded).OrderBy(r => r.Id)
            .Select(r => new { r.Id, r.ProjectId, r.Outcome.ModelPath, r.Outcome.OnnxPath }).ToListAsync(cancellation);
        foreach (var run in runs)
        {
            // A succeeded run always recorded both; where it did not, the usual place is named.
            var model = run.ModelPath ?? ArtifactStore.RunModelFolder(run.ProjectId, run.Id);
            if (!DataRootFiles.Exists(store, $"{model.TrimEnd('/')}/{ModelManifest.FileName}")) missing.Add(new MissingFile(model, RunId: run.Id));
            var onnx = run.OnnxPath ?? ArtifactStore.RunOnnxFile(run.ProjectId, run.Id);
            if (!DataRootFiles.Exists(store, onnx)) missing.Add(new MissingFile(onnx, RunId: run.Id));
        }
        return missing;
    }

    private async Task<List<MissingFile>> FindMissingHeatmapsAsync(CatalogueDbContext db, CancellationToken cancellation)
    {
        var scores = await db.Scores.AsNoTracking().Where(s => s.HeatmapPath != null).OrderBy(s => s.RunId).ThenBy(s => s.ImageId)
            .Select(s => new { s.RunId, s.ImageId, s.HeatmapPath }).ToListAsync(cancellation);
        return scores.Where(s => !DataRootFiles.Exists(store, s.HeatmapPath)).Select(s => new MissingFile(s.HeatmapPath!, s.ImageId, s.RunId)).ToList();
    }
}
