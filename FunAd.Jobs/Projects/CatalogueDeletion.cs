using FunAd.Jobs.Audit;
using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Storage;
using Microsoft.EntityFrameworkCore;

namespace FunAd.Jobs.Projects;

/// <summary>
/// Deletes projects, runs and images for good: the rows first (the catalogue cascades to scores,
/// reviews, epochs and log lines), then their files, so a crash in between leaves only files no row
/// names, which the integrity check reports and repairs. Nothing a queued or running run still needs
/// is deleted, and every deletion is audited.
/// </summary>
public sealed class CatalogueDeletion(IDbContextFactory<CatalogueDbContext> factory, ArtifactStore store, AuditLog audit)
{
    /// <summary>Deletes a project with its images, runs and files; refused while one of its runs is queued or running.</summary>
    public async Task DeleteProjectAsync(int projectId, string? by, CancellationToken token = default)
    {
        await using var db = await factory.CreateDbContextAsync(token);
        var project = await db.Projects.SingleOrDefaultAsync(p => p.Id == projectId, token)
            ?? throw new KeyNotFoundException($"Project {projectId} does not exist.");
        await RefuseWhileTrainingAsync(db, projectId, $"project '{project.Name}'", token);
        var (images, runs) = (await db.Images.CountAsync(i => i.ProjectId == projectId, token), await db.Runs.CountAsync(r => r.ProjectId == projectId, token));
        db.Projects.Remove(project);
        await db.SaveChangesAsync(token);
        DeleteFolder(ArtifactStore.ProjectFolder(projectId));
        await audit.RecordAsync(by, "project deleted", $"project {projectId}", $"{project.Name}: {images} image(s), {runs} run(s)", token);
    }

    /// <summary>Deletes a finished run with its scores, log and files (model, ONNX, heatmaps).</summary>
    public async Task DeleteRunAsync(int runId, string? by, CancellationToken token = default)
    {
        await using var db = await factory.CreateDbContextAsync(token);
        var run = await db.Runs.SingleOrDefaultAsync(r => r.Id == runId, token) ?? throw new KeyNotFoundException($"Run {runId} does not exist.");
        if (!run.Status.IsFinished())
            throw new InvalidOperationException($"Run {runId} is {run.Status.ToString().ToLowerInvariant()}: cancel it before deleting it.");
        db.Runs.Remove(run);
        await db.SaveChangesAsync(token);
        DeleteFolder(ArtifactStore.RunFolder(run.ProjectId, runId));
        await audit.RecordAsync(by, "run deleted", $"run {runId}", $"project {run.ProjectId}, {run.Method}, {run.Status.ToString().ToLowerInvariant()}", token);
    }

    /// <summary>
    /// Deletes an image with its mask, thumbnail, reviews, scores and heatmaps; refused while a run of
    /// its project is queued or running (training reads the file).
    /// </summary>
    public async Task DeleteImageAsync(long imageId, string? by, CancellationToken token = default)
    {
        await using var db = await factory.CreateDbContextAsync(token);
        var image = await db.Images.SingleOrDefaultAsync(i => i.Id == imageId, token) ?? throw new KeyNotFoundException($"Image {imageId} does not exist.");
        await RefuseWhileTrainingAsync(db, image.ProjectId, $"image '{image.OriginalName}'", token);
        var runs = await db.Runs.Where(r => r.ProjectId == image.ProjectId).Select(r => r.Id).ToListAsync(token);
        db.Images.Remove(image);
        await db.SaveChangesAsync(token);
        foreach (var path in new[] { image.StoredPath, ArtifactStore.ThumbnailPath(image.ProjectId, image.ContentHash), image.MaskPath }
                     .Concat(runs.Select(r => ArtifactStore.RunHeatmap(image.ProjectId, r, imageId)))
                     .Concat(runs.Select(r => ArtifactStore.HeatmapValuesBeside(ArtifactStore.RunHeatmap(image.ProjectId, r, imageId)))))
            if (path is not null) store.Delete(path);
        await audit.RecordAsync(by, "image deleted", $"image {imageId}", $"project {image.ProjectId}, {image.OriginalName}", token);
    }

    private static async Task RefuseWhileTrainingAsync(CatalogueDbContext db, int projectId, string what, CancellationToken token)
    {
        if (await db.Runs.AnyAsync(r => r.ProjectId == projectId && (r.Status == RunStatus.Queued || r.Status == RunStatus.Running), token))
            throw new InvalidOperationException($"Cannot delete {what}: a run of the project is queued or running; cancel it or wait for it to finish.");
    }

    private void DeleteFolder(string relative)
    {
        var full = store.Resolve(relative);
        if (Directory.Exists(full)) Directory.Delete(full, recursive: true);
    }
}
