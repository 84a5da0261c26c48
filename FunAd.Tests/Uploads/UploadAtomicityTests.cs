using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Hosting;
using FunAd.Jobs.Storage;
using FunAd.Jobs.Uploads;
using FunAd.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using static FunAd.Tests.Uploads.UploadTestFiles;

namespace FunAd.Tests.Uploads;

/// <summary>Nothing half-written: failed saves, vanished projects, cancellation and concurrent uploads.</summary>
public abstract class UploadAtomicityTests(CatalogueProvider provider)
{
    public sealed class OnSqlite() : UploadAtomicityTests(CatalogueProvider.Sqlite);
    public sealed class OnPostgres() : UploadAtomicityTests(CatalogueProvider.Postgres), IRunsOnPostgres;

    /// <summary>Makes the importer's saves fail while <see cref="Enabled"/>, like a full disk or a locked database.</summary>
    private sealed class FailingSaves : SaveChangesInterceptor
    {
        public bool Enabled { get; set; }

        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
            Enabled ? throw new InvalidOperationException("disk on fire (test)") : base.SavingChangesAsync(eventData, result, cancellationToken);
    }

    [CatalogueFact]
    public async Task A_failed_save_leaves_no_new_files_and_keeps_the_old_ones()
    {
        var failing = new FailingSaves();
        using var catalogue = await UploadTestCatalogue.CreateAsync(provider, failing);
        var kept = Png(16, 16, seed: 1);
        await catalogue.ImportAsync(File("kept.png", kept));
        var before = catalogue.StoredFiles();
        failing.Enabled = true;

        var report = await catalogue.ImportAsync(
            File("new.png", Png(16, 16, seed: 2)),
            File("again.png", kept),
            File("test/good/0.png", Png(16, 16, seed: 3)),
            File("test/cut/1.png", Png(16, 16, seed: 4)),
            File("ground_truth/cut/1_mask.png", Mask(16, 16, new(2, 2, 4, 4))),
            File("bad.txt", [1]));

        Assert.True(report.Failed);
        Assert.Equal("the catalogue could not be written: disk on fire (test)", report.Error);
        Assert.Equal(0, report.Accepted);
        Assert.Equal(
            [UploadOutcome.Refused, UploadOutcome.Duplicate, UploadOutcome.Refused, UploadOutcome.Refused, UploadOutcome.Refused, UploadOutcome.Refused],
            report.Files.Select(f => f.Outcome));
        Assert.Equal($"not saved: {report.Error}", report.Files[0].Reason);
        Assert.Equal($"not saved: {report.Error}", report.Files[4].Reason);
        Assert.Single(await catalogue.ImagesAsync());
        Assert.Equal(before, catalogue.StoredFiles());
        Assert.Equal(2, before.Count); // the kept image and its thumbnail
    }

    [CatalogueFact]
    public async Task A_project_deleted_during_the_upload_fails_the_batch_and_leaves_no_files()
    {
        using var catalogue = await UploadTestCatalogue.CreateAsync(provider);
        var png = Png(10, 10, seed: 2);
        var deleter = new UploadedFile("second.png", () =>
        {
            using var db = catalogue.Open();
            db.Projects.Where(p => p.Id == catalogue.ProjectId).ExecuteDelete();
            return new MemoryStream(png);
        });

        var report = await catalogue.ImportAsync(File("first.png", Png(10, 10, seed: 1)), deleter, File("third.png", Png(10, 10, seed: 3)));

        Assert.Equal($"project {catalogue.ProjectId} was deleted during the upload", report.Error);
        Assert.All(report.Files, f => Assert.Equal((UploadOutcome.Refused, $"not saved: {report.Error}"), (f.Outcome, f.Reason)));
        Assert.Empty(await catalogue.ImagesAsync());
        Assert.Empty(catalogue.StoredFiles());
    }

    [CatalogueFact]
    public async Task A_project_archived_during_the_upload_fails_the_batch()
    {
        using var catalogue = await UploadTestCatalogue.CreateAsync(provider);
        var archiver = new UploadedFile("second.png", () =>
        {
            using var db = catalogue.Open();
            db.Projects.Where(p => p.Id == catalogue.ProjectId).ExecuteUpdate(p => p.SetProperty(x => x.Archived, true));
            return new MemoryStream(Png(10, 10, seed: 2));
        });

        var report = await catalogue.ImportAsync(File("first.png", Png(10, 10, seed: 1)), archiver);

        Assert.Equal($"project {catalogue.ProjectId} was archived during the upload", report.Error);
        Assert.Empty(await catalogue.ImagesAsync());
        Assert.Empty(catalogue.StoredFiles());
    }

    [CatalogueFact]
    public async Task A_stored_file_is_only_deleted_when_no_other_import_claims_it_and_no_row_references_it()
    {
        using var catalogue = await UploadTestCatalogue.CreateAsync(provider);
        var path = catalogue.Store.Resolve("projects/1/images/ab/abc.png");
        catalogue.Store.WriteAtomically("projects/1/images/ab/abc.png", [1, 2, 3]);

        await StoredFileClaims.ClaimAsync(path);
        await StoredFileClaims.ClaimAsync(path);
        Assert.False(await StoredFileClaims.DeleteIfUnusedAsync(path, () => Task.FromResult(false)));
        await StoredFileClaims.ReleaseAsync(path);
        Assert.False(await StoredFileClaims.DeleteIfUnusedAsync(path, () => Task.FromResult(true)));
        Assert.True(System.IO.File.Exists(path));
        Assert.True(await StoredFileClaims.DeleteIfUnusedAsync(path, () => Task.FromResult(false)));
        await StoredFileClaims.ReleaseAsync(path);

        Assert.False(System.IO.File.Exists(path));
    }

    [CatalogueFact]
    public async Task A_cancelled_upload_leaves_no_files_and_no_rows()
    {
        using var catalogue = await UploadTestCatalogue.CreateAsync(provider);
        using var cancellation = new CancellationTokenSource();
        var canceller = new UploadedFile("second.png", () =>
        {
            cancellation.Cancel();
            return new MemoryStream(Png(10, 10, seed: 2));
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => catalogue.Importer().ImportAsync(
            catalogue.ProjectId, [File("first.png", Png(10, 10, seed: 1)), canceller, File("third.png", Png(10, 10, seed: 3))], cancellation.Token));

        Assert.Empty(await catalogue.ImagesAsync());
        Assert.Empty(catalogue.StoredFiles());
    }

    [CatalogueFact]
    public async Task A_picture_saved_by_another_upload_meanwhile_becomes_a_duplicate()
    {
        using var catalogue = await UploadTestCatalogue.CreateAsync(provider);
        var contested = Png(12, 12, seed: 1);
        var hash = Sha256(contested);
        // Another upload saves the same picture (stored under another extension) while this one decodes.
        long otherId = 0;
        var meanwhile = new UploadedFile("mine.png", () =>
        {
            using var db = catalogue.Open();
            var row = new ImageAsset
            {
                ProjectId = catalogue.ProjectId, ContentHash = hash, OriginalName = "theirs.jpeg",
                StoredPath = ArtifactStore.ImagePath(catalogue.ProjectId, hash, ".jpeg"), Width = 12, Height = 12,
            };
            db.Images.Add(row);
            db.SaveChanges();
            otherId = row.Id;
            catalogue.Store.WriteAtomically(row.StoredPath, contested);
            return new MemoryStream(Png(12, 12, seed: 2));
        });

        var report = await catalogue.ImportAsync(File("contested.png", contested), meanwhile);

        Assert.False(report.Failed);
        Assert.Equal(UploadOutcome.Duplicate, report.Files[0].Outcome);
        Assert.Equal("same content as 'theirs.jpeg', saved by another upload meanwhile", report.Files[0].Reason);
        Assert.Equal(otherId, report.Files[0].ImageId);
        Assert.Equal(UploadOutcome.Accepted, report.Files[1].Outcome);
        Assert.Equal(2, (await catalogue.ImagesAsync()).Count);
        // This upload's copy (.png) is referenced by no row and was removed; the thumbnail serves the other row.
        var files = catalogue.StoredFiles();
        Assert.DoesNotContain(ArtifactStore.ImagePath(catalogue.ProjectId, hash, ".png"), files);
        Assert.Contains(ArtifactStore.ImagePath(catalogue.ProjectId, hash, ".jpeg"), files);
        Assert.Contains(ArtifactStore.ThumbnailPath(catalogue.ProjectId, hash), files);
    }

    [CatalogueFact]
    public async Task Concurrent_uploads_of_the_same_pictures_store_each_once()
    {
        using var catalogue = await UploadTestCatalogue.CreateAsync(provider);
        var pictures = Enumerable.Range(0, 6).Select(i => Png(16, 16, seed: i)).ToArray();
        UploadedFile[] Batch(string prefix) => [.. pictures.Select((p, i) => File($"{prefix}/{i}.png", p))];

        var reports = await Task.WhenAll(
            Task.Run(() => catalogue.Importer().ImportAsync(catalogue.ProjectId, Batch("a"))),
            Task.Run(() => catalogue.Importer().ImportAsync(catalogue.ProjectId, Batch("b"))));

        Assert.All(reports, r => Assert.False(r.Failed));
        var images = await catalogue.ImagesAsync();
        Assert.Equal(6, images.Select(i => i.ContentHash).Distinct().Count());
        Assert.Equal(6, images.Count);
        for (int i = 0; i < 6; i++)
        {
            var outcomes = reports.Select(r => r.Files[i].Outcome).Order().ToList();
            Assert.Equal([UploadOutcome.Accepted, UploadOutcome.Duplicate], outcomes);
        }
        foreach (var image in images)
        {
            Assert.True(catalogue.Store.Exists(image.StoredPath));
            Assert.True(catalogue.Store.Exists(ArtifactStore.ThumbnailPath(catalogue.ProjectId, image.ContentHash)));
        }
    }
}
