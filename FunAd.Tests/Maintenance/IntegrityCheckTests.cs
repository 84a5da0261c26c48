using FunAd.Jobs.Hosting;
using FunAd.Jobs.Maintenance;
using FunAd.Jobs.Storage;
using FunAd.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace FunAd.Tests.Maintenance;

/// <summary>Each kind of problem made on purpose in a real data root: the check finds it, the repair fixes it and nothing a row names is deleted.</summary>
public abstract class IntegrityCheckTests(CatalogueProvider provider)
{
    public sealed class OnSqlite() : IntegrityCheckTests(CatalogueProvider.Sqlite);
    public sealed class OnPostgres() : IntegrityCheckTests(CatalogueProvider.Postgres), IRunsOnPostgres;

    private static readonly byte[] Junk = [1, 2, 3, 4];

    [CatalogueFact]
    public async Task A_data_root_as_the_app_leaves_it_is_clean()
    {
        using var catalogue = new CatalogueFixture(provider);
        await SampleDataRoot.CreateAsync(catalogue);

        var report = await SampleDataRoot.Check(catalogue).CheckAsync(TimeSpan.Zero);

        Assert.True(report.IsClean, report.Summary());
        // SQLite checks its file; PostgreSQL has no such check, and the report says it was not run.
        Assert.Equal(provider == CatalogueProvider.Sqlite ? ["ok"] : [IntegrityReport.DatabaseCheckSkipped], report.DatabaseCheck);
        Assert.Equal(provider == CatalogueProvider.Sqlite, report.DatabaseChecked);
        Assert.Equal("clean", report.Summary());
        Assert.Empty(report.RecentFiles);
    }

    [CatalogueFact]
    public async Task Temporary_files_anywhere_and_everything_in_tmp_are_found_and_removed()
    {
        using var catalogue = new CatalogueFixture(provider);
        var sample = await SampleDataRoot.CreateAsync(catalogue);
        var image = sample.Images[0].StoredPath;
        string[] temporary =
        [
            SampleDataRoot.Put(catalogue.Root, $"{image}.1a2b3c4d{ArtifactStore.TemporarySuffix}", Junk),
            SampleDataRoot.Put(catalogue.Root, $"{ArtifactStore.RunFolder(sample.ProjectId, sample.RunId)}/model.onnx{ArtifactStore.TemporarySuffix}", Junk),
            SampleDataRoot.Put(catalogue.Root, $"features/ab/cache{ArtifactStore.TemporarySuffix}", Junk),
            SampleDataRoot.Put(catalogue.Root, "tmp/upload-0123.zip.partial", Junk),
            SampleDataRoot.Put(catalogue.Root, "tmp/left-over.bin", Junk),
        ];
        var check = SampleDataRoot.Check(catalogue);

        var report = await check.CheckAsync(TimeSpan.Zero);
        var outcome = await check.RepairAsync(TimeSpan.Zero);

        Assert.Equal(temporary.Order(StringComparer.Ordinal), report.TemporaryFiles);
        Assert.Equal(temporary.Length, report.ProblemCount);
        Assert.All(temporary, t => Assert.False(File.Exists(Path.Combine(catalogue.Root, t)), t));
        Assert.True(File.Exists(Path.Combine(catalogue.Root, image)));
        Assert.Equal(temporary.Length, outcome.Actions.Count);
        Assert.True(outcome.After.IsClean, outcome.After.Summary());
    }

    [CatalogueFact]
    public async Task An_image_whose_file_is_lost_loses_its_row_scores_verdict_and_left_over_files()
    {
        using var catalogue = new CatalogueFixture(provider);
        var sample = await SampleDataRoot.CreateAsync(catalogue);
        var lost = sample.Defective;
        File.Delete(catalogue.Store.Resolve(lost.StoredPath));
        var check = SampleDataRoot.Check(catalogue);

        var report = await check.CheckAsync(TimeSpan.Zero);
        var outcome = await check.RepairAsync(TimeSpan.Zero);

        var missing = Assert.Single(report.MissingImages);
        Assert.Equal((lost.StoredPath, lost.Id), (missing.Path, missing.ImageId));
        // Its mask and thumbnail are not counted again: they go with the row.
        Assert.Equal(1, report.ProblemCount);
        await using var db = await catalogue.Factory.CreateDbContextAsync();
        Assert.False(await db.Images.AnyAsync(i => i.Id == lost.Id));
        Assert.False(await db.Scores.AnyAsync(s => s.ImageId == lost.Id));
        Assert.False(await db.Reviews.AnyAsync(r => r.ImageId == lost.Id));
        Assert.Equal(sample.Images.Count - 1, await db.Images.CountAsync());
        Assert.Equal(sample.Images.Count - 1, await db.Scores.CountAsync());
        // The mask and thumbnail of the deleted row named no one any more.
        Assert.False(catalogue.Store.Exists(lost.MaskPath!));
        Assert.False(catalogue.Store.Exists(ArtifactStore.ThumbnailPath(lost.ProjectId, lost.ContentHash)));
        Assert.True(outcome.After.IsClean, outcome.After.Summary());
    }

    [CatalogueFact]
    public async Task A_missing_mask_is_forgotten()
    {
        using var catalogue = new CatalogueFixture(provider);
        var sample = await SampleDataRoot.CreateAsync(catalogue);
        File.Delete(catalogue.Store.Resolve(sample.Defective.MaskPath!));
        var check = SampleDataRoot.Check(catalogue);

        var report = await check.CheckAsync(TimeSpan.Zero);
        var outcome = await check.RepairAsync(TimeSpan.Zero);

        Assert.Equal(sample.Defective.Id, Assert.Single(report.MissingMasks).ImageId);
        await using var db = await catalogue.Factory.CreateDbContextAsync();
        var image = await db.Images.SingleAsync(i => i.Id == sample.Defective.Id);
        Assert.Null(image.MaskPath);
        Assert.True(await db.Reviews.AnyAsync(r => r.ImageId == image.Id), "the image and its verdict stay");
        Assert.True(outcome.After.IsClean, outcome.After.Summary());
    }

    [CatalogueFact]
    public async Task A_missing_thumbnail_is_drawn_again_as_the_uploader_draws_it()
    {
        using var catalogue = new CatalogueFixture(provider);
        var sample = await SampleDataRoot.CreateAsync(catalogue);
        var image = sample.Images[1];
        var thumbnail = ArtifactStore.ThumbnailPath(image.ProjectId, image.ContentHash);
        var uploaded = await File.ReadAllBytesAsync(catalogue.Store.Resolve(thumbnail));
        File.Delete(catalogue.Store.Resolve(thumbnail));
        var check = SampleDataRoot.Check(catalogue);

        var report = await check.CheckAsync(TimeSpan.Zero);
        var outcome = await check.RepairAsync(TimeSpan.Zero);

        Assert.Equal((thumbnail, image.Id), (Assert.Single(report.MissingThumbnails).Path, Assert.Single(report.MissingThumbnails).ImageId));
        Assert.Equal(uploaded, await File.ReadAllBytesAsync(catalogue.Store.Resolve(thumbnail)));
        Assert.True(outcome.After.IsClean, outcome.After.Summary());
    }

    [CatalogueFact]
    public async Task A_succeeded_run_without_its_model_is_reported_and_left_as_it_is()
    {
        using var catalogue = new CatalogueFixture(provider);
        var sample = await SampleDataRoot.CreateAsync(catalogue);
        File.Delete(catalogue.Store.Resolve(sample.OnnxPath));
        File.Delete(catalogue.Store.Resolve($"{sample.ModelPath}/model.json"));
        var before = SampleDataRoot.Files(catalogue.Root);
        var check = SampleDataRoot.Check(catalogue);

        var outcome = await check.RepairAsync(TimeSpan.Zero);

        Assert.Equal([sample.ModelPath, sample.OnnxPath], outcome.Before.MissingRunFiles.Select(m => m.Path));
        Assert.All(outcome.Before.MissingRunFiles, m => Assert.Equal(sample.RunId, m.RunId));
        Assert.Empty(outcome.Actions);
        Assert.Equal(2, outcome.After.ProblemCount);
        Assert.Equal(before.Keys.Order(), SampleDataRoot.Files(catalogue.Root).Keys.Order());
        await using var db = await catalogue.Factory.CreateDbContextAsync();
        Assert.True(await db.Runs.AnyAsync(r => r.Id == sample.RunId));
    }

    [CatalogueFact]
    public async Task A_missing_heatmap_is_forgotten_and_the_score_kept()
    {
        using var catalogue = new CatalogueFixture(provider);
        var sample = await SampleDataRoot.CreateAsync(catalogue);
        var image = sample.Images[2];
        var heatmap = $"{ArtifactStore.RunFolder(sample.ProjectId, sample.RunId)}/heatmaps/{image.Id}.png";
        File.Delete(catalogue.Store.Resolve(heatmap));
        var check = SampleDataRoot.Check(catalogue);

        var report = await check.CheckAsync(TimeSpan.Zero);
        var outcome = await check.RepairAsync(TimeSpan.Zero);

        var missing = Assert.Single(report.MissingHeatmaps);
        Assert.Equal((heatmap, image.Id, sample.RunId), (missing.Path, missing.ImageId, missing.RunId));
        await using var db = await catalogue.Factory.CreateDbContextAsync();
        var score = await db.Scores.SingleAsync(s => s.ImageId == image.Id);
        Assert.Null(score.HeatmapPath);
        Assert.Equal(0.1, score.Score);
        Assert.True(outcome.After.IsClean, outcome.After.Summary());
    }

    [CatalogueFact]
    public async Task Files_no_row_references_are_deleted_and_every_file_a_row_names_stays()
    {
        using var catalogue = new CatalogueFixture(provider);
        var sample = await SampleDataRoot.CreateAsync(catalogue);
        var named = SampleDataRoot.Files(catalogue.Root);
        var hash = new string('e', 64);
        string[] orphans =
        [
            SampleDataRoot.Put(catalogue.Root, ArtifactStore.ImagePath(sample.ProjectId, hash, ".png"), Junk),
            SampleDataRoot.Put(catalogue.Root, ArtifactStore.MaskPath(sample.ProjectId, hash), Junk),
            SampleDataRoot.Put(catalogue.Root, ArtifactStore.ThumbnailPath(sample.ProjectId, hash), Junk),
            SampleDataRoot.Put(catalogue.Root, ArtifactStore.ImagePath(99, hash, ".jpg"), Junk),
        ];
        // Run folders and the feature cache are not the images' business.
        var runFile = SampleDataRoot.Put(catalogue.Root, $"{ArtifactStore.RunFolder(sample.ProjectId, sample.RunId)}/model/extra.npy", Junk);
        var cached = SampleDataRoot.Put(catalogue.Root, "features/ab/abcdef.npy", Junk);
        var check = SampleDataRoot.Check(catalogue);

        var report = await check.CheckAsync(TimeSpan.Zero);
        var outcome = await check.RepairAsync(TimeSpan.Zero);

        Assert.Equal(orphans.Order(StringComparer.Ordinal), report.UnreferencedFiles);
        Assert.All(orphans, o => Assert.False(File.Exists(Path.Combine(catalogue.Root, o)), o));
        var after = SampleDataRoot.Files(catalogue.Root);
        foreach (var (path, bytes) in named) Assert.Equal(bytes, after[path]);
        Assert.True(after.ContainsKey(runFile) && after.ContainsKey(cached));
        Assert.True(outcome.After.IsClean, outcome.After.Summary());
    }

    [CatalogueFact]
    public async Task Files_written_within_the_grace_period_are_left_alone_until_they_are_old()
    {
        using var catalogue = new CatalogueFixture(provider);
        var sample = await SampleDataRoot.CreateAsync(catalogue);
        var orphan = SampleDataRoot.Put(catalogue.Root, ArtifactStore.ImagePath(sample.ProjectId, new string('f', 64), ".png"), Junk);
        var temporary = SampleDataRoot.Put(catalogue.Root, "tmp/upload-9.zip.partial", Junk);
        var check = SampleDataRoot.Check(catalogue);

        var fresh = await check.RepairAsync(TimeSpan.FromHours(1));
        foreach (var path in new[] { orphan, temporary }) File.SetLastWriteTimeUtc(Path.Combine(catalogue.Root, path), DateTime.UtcNow.AddHours(-2));
        var old = await check.RepairAsync(TimeSpan.FromHours(1));

        Assert.True(fresh.Before.IsClean, fresh.Before.Summary());
        Assert.Equal([orphan, temporary], fresh.Before.RecentFiles.Order(StringComparer.Ordinal));
        Assert.Empty(fresh.Actions);
        Assert.Equal([temporary], old.Before.TemporaryFiles);
        Assert.Equal([orphan], old.Before.UnreferencedFiles);
        Assert.False(File.Exists(Path.Combine(catalogue.Root, orphan)));
        Assert.False(File.Exists(Path.Combine(catalogue.Root, temporary)));
        Assert.True(old.After.IsClean && old.After.RecentFiles.Count == 0, old.After.Summary());
    }

    [CatalogueFact]
    public async Task Every_kind_of_problem_at_once_is_repaired_without_touching_a_named_file()
    {
        using var catalogue = new CatalogueFixture(provider);
        var sample = await SampleDataRoot.CreateAsync(catalogue);
        var run = ArtifactStore.RunFolder(sample.ProjectId, sample.RunId);
        var others = sample.Images.Where(i => i.Id != sample.Defective.Id).ToList();
        var (lost, unmasked, unthumbed, unheated) = (others[0], sample.Defective, others[1], others[2]);
        File.Delete(catalogue.Store.Resolve(lost.StoredPath));
        File.Delete(catalogue.Store.Resolve(unmasked.MaskPath!));
        File.Delete(catalogue.Store.Resolve(ArtifactStore.ThumbnailPath(unthumbed.ProjectId, unthumbed.ContentHash)));
        File.Delete(catalogue.Store.Resolve($"{run}/heatmaps/{unheated.Id}.png"));
        SampleDataRoot.Put(catalogue.Root, "tmp/spool.partial", Junk);
        SampleDataRoot.Put(catalogue.Root, ArtifactStore.ImagePath(sample.ProjectId, new string('d', 64), ".png"), Junk);
        var check = SampleDataRoot.Check(catalogue);

        var outcome = await check.RepairAsync(TimeSpan.Zero);

        var before = outcome.Before;
        Assert.Equal((1, 1, 1, 1, 1, 1, 0), (before.TemporaryFiles.Count, before.MissingImages.Count, before.MissingMasks.Count,
            before.MissingThumbnails.Count, before.MissingHeatmaps.Count, before.UnreferencedFiles.Count, before.MissingRunFiles.Count));
        Assert.True(outcome.After.IsClean, outcome.After.Summary());
        // Whatever the rows still name is there.
        await using var db = await catalogue.Factory.CreateDbContextAsync();
        foreach (var image in await db.Images.ToListAsync())
        {
            Assert.True(catalogue.Store.Exists(image.StoredPath));
            Assert.True(catalogue.Store.Exists(ArtifactStore.ThumbnailPath(image.ProjectId, image.ContentHash)));
            if (image.MaskPath is not null) Assert.True(catalogue.Store.Exists(image.MaskPath));
        }
        foreach (var score in await db.Scores.Where(s => s.HeatmapPath != null).ToListAsync()) Assert.True(catalogue.Store.Exists(score.HeatmapPath!));
        Assert.True(catalogue.Store.Exists(sample.OnnxPath));
    }
}
