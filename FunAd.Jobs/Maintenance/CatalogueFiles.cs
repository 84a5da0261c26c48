using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Storage;
using Microsoft.EntityFrameworkCore;

namespace FunAd.Jobs.Maintenance;

/// <summary>
/// The stored files the catalogue's rows point at, relative to the data root: images, masks, the
/// thumbnails their hashes name, heatmaps and ONNX files; and the folders runs own (the run folder,
/// with checkpoints, and the model folder), whose files no single column names.
/// </summary>
internal sealed class CatalogueFiles
{
    private CatalogueFiles(HashSet<string> files, List<string> folders)
    {
        Files = files;
        Folders = folders;
    }

    public IReadOnlySet<string> Files { get; }

    public IReadOnlyList<string> Folders { get; }

    /// <summary>Whether a row points at this file, or at a folder it is in.</summary>
    public bool References(string relativePath) =>
        Files.Contains(relativePath) || Folders.Any(f => relativePath.StartsWith(f + "/", StringComparison.Ordinal));

    public static async Task<CatalogueFiles> LoadAsync(CatalogueDbContext db, CancellationToken cancellation)
    {
        var files = new HashSet<string>(StringComparer.Ordinal);
        var folders = new List<string>();
        var images = await db.Images.AsNoTracking()
            .Select(i => new { i.ProjectId, i.ContentHash, i.StoredPath, i.MaskPath }).ToListAsync(cancellation);
        foreach (var image in images)
        {
            files.Add(image.StoredPath);
            if (image.MaskPath is { } mask) files.Add(mask);
            files.Add(ArtifactStore.ThumbnailPath(image.ProjectId, image.ContentHash));
        }
        var runs = await db.Runs.AsNoTracking().Select(r => new { r.Id, r.ProjectId, r.Outcome.ModelPath, r.Outcome.OnnxPath }).ToListAsync(cancellation);
        foreach (var run in runs)
        {
            folders.Add(ArtifactStore.RunFolder(run.ProjectId, run.Id));
            if (run.ModelPath is { } model) folders.Add(model.TrimEnd('/'));
            if (run.OnnxPath is { } onnx) files.Add(onnx);
        }
        var heatmaps = await db.Scores.AsNoTracking().Where(s => s.HeatmapPath != null).Select(s => s.HeatmapPath!).ToListAsync(cancellation);
        files.UnionWith(heatmaps);
        return new CatalogueFiles(files, folders);
    }
}
