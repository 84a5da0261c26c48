using FunAd.Jobs.Audit;
using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Hosting;
using FunAd.Jobs.Projects;
using FunAd.Jobs.Storage;
using FunAd.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace FunAd.Tests.Projects;

/// <summary>Deleting for good: rows and files go together, nothing a live run needs goes, and each deletion is audited.</summary>
public abstract class CatalogueDeletionTests(CatalogueProvider provider) : IDisposable
{
    public sealed class OnSqlite() : CatalogueDeletionTests(CatalogueProvider.Sqlite);
    public sealed class OnPostgres() : CatalogueDeletionTests(CatalogueProvider.Postgres), IRunsOnPostgres;

    private readonly CatalogueFixture catalogue = new(provider);
    private readonly TemporaryFolder images = new();

    public void Dispose()
    {
        catalogue.Dispose();
        images.Dispose();
    }

    private CatalogueDeletion Deletion() => new(catalogue.Factory, catalogue.Store, new AuditLog(catalogue.Factory));

    /// <summary>A project with two images, one run in <paramref name="status"/> that scored both (rows and heatmap files), and a verdict.</summary>
    private async Task<(int Project, int Run, ImageAsset[] Images)> ProjectAsync(RunStatus status)
    {
        var project = await catalogue.AddProjectAsync();
        await catalogue.AddImagesAsync(project.Id, Enumerable.Range(0, 2).Select(i =>
        {
            using var crop = TestImages.BrickCrop(i * 50, 0, 32);
            return TestImages.Save(crop, images.Combine($"{project.Id}-{i}.png"));
        }));
        await using var db = await catalogue.Factory.CreateDbContextAsync();
        var stored = await db.Images.Where(i => i.ProjectId == project.Id).OrderBy(i => i.Id).ToArrayAsync();
        var run = new TrainingRun { ProjectId = project.Id, Method = "funad", Profile = "fast", ParametersJson = "{}", Status = status };
        db.Runs.Add(run);
        await db.SaveChangesAsync();
        foreach (var image in stored)
        {
            var heatmap = ArtifactStore.RunHeatmap(project.Id, run.Id, image.Id);
            catalogue.Store.WriteAtomically(heatmap, [1, 2, 3]);
            catalogue.Store.WriteAtomically(ArtifactStore.HeatmapValuesBeside(heatmap), [4, 5, 6]);
            db.Scores.Add(new ScoreResult { RunId = run.Id, ImageId = image.Id, Score = 0.5, HeatmapPath = heatmap });
        }
        db.Reviews.Add(new Review { ImageId = stored[0].Id, Verdict = Verdict.Defect, By = "t" });
        await db.SaveChangesAsync();
        return (project.Id, run.Id, stored);
    }

    [CatalogueFact]
    public async Task An_image_goes_with_its_file_scores_verdicts_and_heatmaps_and_the_rest_stays()
    {
        var (project, run, stored) = await ProjectAsync(RunStatus.Succeeded);

        await Deletion().DeleteImageAsync(stored[0].Id, "editor@funad.test");

        await using var db = await catalogue.Factory.CreateDbContextAsync();
        Assert.Equal([stored[1].Id], await db.Images.Select(i => i.Id).ToListAsync());
        Assert.Equal([stored[1].Id], await db.Scores.Select(s => s.ImageId).ToListAsync());
        Assert.Empty(await db.Reviews.ToListAsync());
        Assert.False(catalogue.Store.Exists(stored[0].StoredPath));
        Assert.False(catalogue.Store.Exists(ArtifactStore.RunHeatmap(project, run, stored[0].Id)));
        Assert.False(catalogue.Store.Exists(ArtifactStore.HeatmapValuesBeside(ArtifactStore.RunHeatmap(project, run, stored[0].Id))));
        Assert.True(catalogue.Store.Exists(ArtifactStore.HeatmapValuesBeside(ArtifactStore.RunHeatmap(project, run, stored[1].Id))));
        Assert.True(catalogue.Store.Exists(stored[1].StoredPath));
        Assert.True(catalogue.Store.Exists(ArtifactStore.RunHeatmap(project, run, stored[1].Id)));
        var audit = await db.Audit.SingleAsync(a => a.Action == "image deleted");
        Assert.Equal(("editor@funad.test", $"image {stored[0].Id}"), (audit.Actor, audit.Target));
    }

    [CatalogueTheory]
    [InlineData(RunStatus.Queued)]
    [InlineData(RunStatus.Running)]
    public async Task Nothing_a_queued_or_running_run_needs_is_deleted(RunStatus status)
    {
        var (project, run, stored) = await ProjectAsync(status);
        var deletion = Deletion();

        await Assert.ThrowsAsync<InvalidOperationException>(() => deletion.DeleteProjectAsync(project, "admin"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => deletion.DeleteImageAsync(stored[0].Id, "editor"));
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => deletion.DeleteRunAsync(run, "editor"));
        Assert.Contains("cancel it", refused.Message);

        await using var db = await catalogue.Factory.CreateDbContextAsync();
        Assert.Equal(2, await db.Images.CountAsync());
        Assert.Equal(1, await db.Runs.CountAsync());
        Assert.All(stored, i => Assert.True(catalogue.Store.Exists(i.StoredPath)));
    }

    [CatalogueFact]
    public async Task A_finished_run_goes_with_its_folder_and_its_images_stay()
    {
        var (project, run, stored) = await ProjectAsync(RunStatus.Failed);

        await Deletion().DeleteRunAsync(run, "editor");

        await using var db = await catalogue.Factory.CreateDbContextAsync();
        Assert.Empty(await db.Runs.ToListAsync());
        Assert.Empty(await db.Scores.ToListAsync());
        Assert.Equal(2, await db.Images.CountAsync());
        Assert.False(Directory.Exists(catalogue.Store.Resolve(ArtifactStore.RunFolder(project, run))));
        Assert.All(stored, i => Assert.True(catalogue.Store.Exists(i.StoredPath)));
    }

    [CatalogueFact]
    public async Task A_project_goes_with_everything_in_it_and_other_projects_stay()
    {
        var (project, _, _) = await ProjectAsync(RunStatus.Succeeded);
        var (other, _, otherImages) = await ProjectAsync(RunStatus.Cancelled);

        await Deletion().DeleteProjectAsync(project, "admin");

        await using var db = await catalogue.Factory.CreateDbContextAsync();
        Assert.Equal([other], await db.Projects.Select(p => p.Id).ToListAsync());
        Assert.All(await db.Images.ToListAsync(), i => Assert.Equal(other, i.ProjectId));
        Assert.Equal(1, await db.Runs.CountAsync());
        Assert.False(Directory.Exists(catalogue.Store.Resolve(ArtifactStore.ProjectFolder(project))));
        Assert.All(otherImages, i => Assert.True(catalogue.Store.Exists(i.StoredPath)));
        Assert.Contains(await db.Audit.Select(a => a.Action).ToListAsync(), a => a == "project deleted");
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Deletion().DeleteProjectAsync(project, "admin"));
    }
}
