using FunAd.Engine.Imaging;
using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Storage;
using FunAd.Jobs.Uploads;
using Microsoft.EntityFrameworkCore;

namespace FunAd.Jobs.Maintenance;

/// <summary>
/// The fixes behind <see cref="IntegrityCheck.RepairAsync"/>, one per kind of problem, each noting
/// what it did. Every fix looks again just before acting (the app may run meanwhile), and no fix
/// deletes a file that a row references.
/// </summary>
internal sealed class IntegrityRepair(IDbContextFactory<CatalogueDbContext> catalogue, ArtifactStore store, DecodeLimits decodeLimits)
{
    private readonly List<string> _actions = [];

    public IReadOnlyList<string> Actions => _actions;

    /// <summary>Deletes temporary files not written since <paramref name="cutoff"/> (null: whatever their age); returns how many went.</summary>
    public int RemoveTemporaryFiles(IEnumerable<string> paths, DateTime? cutoff)
    {
        var removed = 0;
        foreach (var path in paths)
        {
            if (DataRootFiles.WrittenAfter(store, path, cutoff)) continue;
            if (TryDelete(path, "temporary file")) removed++;
        }
        return removed;
    }

    /// <summary>An image whose file is gone cannot be trained on or shown: its row goes, with its scores and verdict.</summary>
    public async Task DeleteLostImagesAsync(IReadOnlyList<MissingFile> lost, CancellationToken cancellation)
    {
        if (lost.Count == 0) return;
        var ids = lost.Select(l => l.ImageId!.Value).ToList();
        await using var db = await catalogue.CreateDbContextAsync(cancellation);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellation);
        // Looked at again inside the transaction: a file put back by hand since the check keeps its row.
        var rows = await db.Images.Where(i => ids.Contains(i.Id)).Select(i => new { i.Id, i.StoredPath }).ToListAsync(cancellation);
        var gone = rows.Where(r => !DataRootFiles.Exists(store, r.StoredPath)).ToList();
        var goneIds = gone.Select(r => r.Id).ToList();
        var scores = await db.Scores.Where(s => goneIds.Contains(s.ImageId)).ExecuteDeleteAsync(cancellation);
        var verdicts = await db.Reviews.Where(r => goneIds.Contains(r.ImageId)).ExecuteDeleteAsync(cancellation);
        await db.Images.Where(i => goneIds.Contains(i.Id)).ExecuteDeleteAsync(cancellation);
        await transaction.CommitAsync(cancellation);
        foreach (var row in gone) _actions.Add($"deleted the row of image {row.Id}, whose file {row.StoredPath} is lost");
        if (scores + verdicts > 0) _actions.Add($"deleted {scores} score(s) and {verdicts} verdict(s) of those images");
    }

    public async Task ForgetMissingMasksAsync(IReadOnlyList<MissingFile> missing, CancellationToken cancellation)
    {
        if (missing.Count == 0) return;
        var ids = missing.Select(m => m.ImageId!.Value).ToList();
        await using var db = await catalogue.CreateDbContextAsync(cancellation);
        var images = await db.Images.Where(i => ids.Contains(i.Id) && i.MaskPath != null).ToListAsync(cancellation);
        foreach (var image in images.Where(i => !DataRootFiles.Exists(store, i.MaskPath)))
        {
            _actions.Add($"forgot the missing mask {image.MaskPath} of image {image.Id}");
            image.MaskPath = null;
        }
        await db.SaveChangesAsync(cancellation);
    }

    /// <summary>Draws thumbnails again from their images, with the uploader's encoder, so they match the ones an upload makes.</summary>
    public async Task RedrawThumbnailsAsync(IReadOnlyList<MissingFile> missing, CancellationToken cancellation)
    {
        if (missing.Count == 0) return;
        var ids = missing.Select(m => m.ImageId!.Value).ToList();
        await using var db = await catalogue.CreateDbContextAsync(cancellation);
        var images = await db.Images.AsNoTracking().Where(i => ids.Contains(i.Id))
            .Select(i => new { i.Id, i.ProjectId, i.ContentHash, i.StoredPath }).ToListAsync(cancellation);
        foreach (var image in images)
        {
            cancellation.ThrowIfCancellationRequested();
            var thumbnail = ArtifactStore.ThumbnailPath(image.ProjectId, image.ContentHash);
            if (DataRootFiles.Exists(store, thumbnail)) continue;
            try
            {
                var decoded = ImageLoader.Load(store.Resolve(image.StoredPath), decodeLimits);
                store.WriteAtomically(thumbnail, ThumbnailEncoder.Encode(decoded));
                _actions.Add($"drew the missing thumbnail {thumbnail} of image {image.Id} again");
            }
            catch (Exception e) when (e is ImageDecodeException or IOException or UnauthorizedAccessException)
            {
                _actions.Add($"could not draw the thumbnail of image {image.Id} again: {e.Message}");
            }
        }
    }

    /// <summary>A score without its heatmap is still a score; the gallery shows it without an overlay.</summary>
    public async Task ForgetMissingHeatmapsAsync(IReadOnlyList<MissingFile> missing, CancellationToken cancellation)
    {
        if (missing.Count == 0) return;
        var paths = missing.Select(m => m.Path).ToList();
        await using var db = await catalogue.CreateDbContextAsync(cancellation);
        var scores = await db.Scores.Where(s => s.HeatmapPath != null && paths.Contains(s.HeatmapPath)).ToListAsync(cancellation);
        foreach (var score in scores.Where(s => !DataRootFiles.Exists(store, s.HeatmapPath)))
        {
            _actions.Add($"forgot the missing heatmap {score.HeatmapPath} of image {score.ImageId} in run {score.RunId}");
            score.HeatmapPath = null;
        }
        await db.SaveChangesAsync(cancellation);
    }

    /// <summary>
    /// Deletes the files of the projects' image folders that no row references, as the catalogue
    /// stands now (after the fixes above), leaving files written since <paramref name="cutoff"/>.
    /// </summary>
    public async Task DeleteUnreferencedFilesAsync(DateTime? cutoff, CancellationToken cancellation)
    {
        var files = DataRootFiles.InImageFolders(store);
        CatalogueFiles references;
        await using (var db = await catalogue.CreateDbContextAsync(cancellation))
            references = await CatalogueFiles.LoadAsync(db, cancellation);
        foreach (var path in files.Where(p => !references.References(p)))
        {
            // Its age is read again right before deleting: an upload may have just written it anew.
            if (DataRootFiles.WrittenAfter(store, path, cutoff)) continue;
            TryDelete(path, "file no row references");
        }
    }

    private bool TryDelete(string path, string what)
    {
        try
        {
            var full = store.Resolve(path);
            if (!File.Exists(full)) return false;
            File.Delete(full);
            _actions.Add($"deleted {what} {path}");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _actions.Add($"could not delete {what} {path}: {e.Message}");
            return false;
        }
    }
}
