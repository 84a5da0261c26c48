using FunAd.Jobs.Audit;
using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Hosting;
using FunAd.Jobs.Projects;
using FunAd.Jobs.Scoring;
using FunAd.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace FunAd.Tests.Projects;

/// <summary>A reviewer's work on one image: what its detail shows, relabelling, leaving it out of training, and the audit of each.</summary>
public abstract class ImageCurationTests(CatalogueProvider provider) : IDisposable
{
    public sealed class OnSqlite() : ImageCurationTests(CatalogueProvider.Sqlite);
    public sealed class OnPostgres() : ImageCurationTests(CatalogueProvider.Postgres), IRunsOnPostgres;

    private readonly CatalogueFixture catalogue = new(provider);
    private readonly TemporaryFolder images = new();

    public void Dispose()
    {
        catalogue.Dispose();
        images.Dispose();
    }

    private ImageCuration Curation() => new(catalogue.Factory, new AuditLog(catalogue.Factory));

    private async Task<ImageAsset[]> ImagesAsync(int count)
    {
        var project = await catalogue.AddProjectAsync();
        await catalogue.AddImagesAsync(project.Id, Enumerable.Range(0, count).Select(i =>
        {
            using var crop = TestImages.BrickCrop(i * 40, 0, 32);
            return TestImages.Save(crop, images.Combine($"{i}.png"));
        }));
        await using var db = await catalogue.Factory.CreateDbContextAsync();
        return await db.Images.OrderBy(i => i.Id).ToArrayAsync();
    }

    private async Task<ImageAsset> ReadAsync(long id)
    {
        await using var db = await catalogue.Factory.CreateDbContextAsync();
        return await db.Images.AsNoTracking().SingleAsync(i => i.Id == id);
    }

    [CatalogueFact]
    public async Task Relabelling_stores_the_label_and_defect_type_and_audits_the_change()
    {
        var image = (await ImagesAsync(1))[0];

        await Curation().ChangeAsync(image.Id, new ImageChange(ImageLabel.Anomalous, " scratch "), "editor@funad.test");
        Assert.Equal((ImageLabel.Anomalous, "scratch"), ((await ReadAsync(image.Id)).Label, (await ReadAsync(image.Id)).DefectType));

        await Curation().ChangeAsync(image.Id, new ImageChange(ImageLabel.Normal), "editor@funad.test");
        var relabelled = await ReadAsync(image.Id);
        Assert.Equal((ImageLabel.Normal, null), (relabelled.Label, relabelled.DefectType));

        await using var db = await catalogue.Factory.CreateDbContextAsync();
        var audit = await db.Audit.Where(a => a.Action == "image changed").OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(2, audit.Count);
        Assert.Contains("label unlabeled -> scratch", audit[0].Detail);
        Assert.Contains("label scratch -> good", audit[1].Detail);
        Assert.All(audit, a => Assert.Equal(("editor@funad.test", $"image {image.Id}"), (a.Actor, a.Target)));
    }

    [CatalogueFact]
    public async Task An_unchanged_image_is_not_audited_and_leaving_out_of_training_is()
    {
        var image = (await ImagesAsync(1))[0];

        await Curation().ChangeAsync(image.Id, new ImageChange(ImageLabel.Unlabeled, LeftOutOfTraining: false), "e");
        await Curation().ChangeAsync(image.Id, new ImageChange(LeftOutOfTraining: true), "e");

        Assert.True((await ReadAsync(image.Id)).LeftOutOfTraining);
        await using var db = await catalogue.Factory.CreateDbContextAsync();
        var audit = await db.Audit.SingleAsync(a => a.Action == "image changed");
        Assert.EndsWith("left out of training", audit.Detail);
    }

    [CatalogueFact]
    public async Task A_masked_image_stays_defective_and_bad_defect_types_are_refused()
    {
        var image = (await ImagesAsync(1))[0];
        await using (var db = await catalogue.Factory.CreateDbContextAsync())
            await db.Images.Where(i => i.Id == image.Id).ExecuteUpdateAsync(u => u.SetProperty(i => i.MaskPath, "masks/x.png").SetProperty(i => i.Label, ImageLabel.Anomalous));

        var masked = await Assert.ThrowsAsync<ArgumentException>(() => Curation().ChangeAsync(image.Id, new ImageChange(ImageLabel.Normal), "e"));
        Assert.Contains("ground-truth mask", masked.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => Curation().ChangeAsync(image.Id, new ImageChange(DefectType: new string('x', 101)), "e"));
        await Assert.ThrowsAsync<ArgumentException>(() => Curation().ChangeAsync(image.Id, new ImageChange(DefectType: "a\nb"), "e"));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Curation().ChangeAsync(image.Id + 99, new ImageChange(LeftOutOfTraining: true), "e"));
        Assert.Equal(ImageLabel.Anomalous, (await ReadAsync(image.Id)).Label);
    }

    [CatalogueFact]
    public async Task The_detail_lists_the_images_score_in_every_run_with_its_band_newest_run_first()
    {
        var stored = await ImagesAsync(2);
        await using (var db = await catalogue.Factory.CreateDbContextAsync())
        {
            var older = new TrainingRun { ProjectId = stored[0].ProjectId, Method = "funad", Profile = "fast", ParametersJson = "{}", Status = RunStatus.Succeeded,
                CreatedAt = DateTimeOffset.UtcNow.AddHours(-1) };
            older.Thresholds.Low = 0.3;
            older.Thresholds.High = 0.6;
            var newer = new TrainingRun { ProjectId = stored[0].ProjectId, Method = "patchcore", Profile = "fast", ParametersJson = "{}", Status = RunStatus.Succeeded };
            newer.Thresholds.Low = 0.8;
            newer.Thresholds.High = 0.9;
            db.Runs.AddRange(older, newer);
            await db.SaveChangesAsync();
            db.Scores.AddRange(new ScoreResult { RunId = older.Id, ImageId = stored[0].Id, Score = 0.7, HeatmapPath = "h.png" },
                new ScoreResult { RunId = newer.Id, ImageId = stored[0].Id, Score = 0.5 },
                new ScoreResult { RunId = newer.Id, ImageId = stored[1].Id, Score = 0.95 });
            db.Reviews.Add(new Review { ImageId = stored[0].Id, Verdict = Verdict.Defect, By = "r" });
            await db.SaveChangesAsync();
        }

        var detail = await Curation().GetAsync(stored[0].Id);

        Assert.Equal((Verdict.Defect, "r"), (detail.Verdict, detail.VerdictBy));
        Assert.Equal(["patchcore", "funad"], detail.Runs.Select(r => r.Method));
        Assert.Equal([ScoreBand.Ok, ScoreBand.Ng], detail.Runs.Select(r => r.Band));
        Assert.Equal([false, true], detail.Runs.Select(r => r.HasHeatmap));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Curation().GetAsync(stored[1].Id + 99));
    }

    [CatalogueFact]
    public async Task Images_list_in_upload_order_newest_first_or_by_name()
    {
        var stored = await ImagesAsync(3);
        var projects = new ProjectCatalogue(catalogue.Factory, new BackboneFolder(catalogue.Root));

        async Task<long[]> Ids(ImageOrder order) => (await projects.ListImagesAsync(stored[0].ProjectId, null, 0, 10, default, order)).Items.Select(i => i.Id).ToArray();

        Assert.Equal(stored.Select(i => i.Id), await Ids(ImageOrder.Uploaded));
        Assert.Equal(stored.Select(i => i.Id).Reverse(), await Ids(ImageOrder.Newest));
        Assert.Equal(stored.OrderBy(i => i.OriginalName, StringComparer.Ordinal).Select(i => i.Id), await Ids(ImageOrder.Name));
        Assert.Throws<ArgumentException>(() => ImageOrders.Parse("size"));
    }
}
