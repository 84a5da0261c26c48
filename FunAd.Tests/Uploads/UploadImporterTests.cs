using FunAd.Engine.Imaging;
using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Hosting;
using FunAd.Jobs.Storage;
using FunAd.Jobs.Uploads;
using FunAd.Tests.Imaging;
using FunAd.Tests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using static FunAd.Tests.Uploads.UploadTestFiles;

namespace FunAd.Tests.Uploads;

/// <summary>Loose files: what is accepted, stored and recorded, and what is refused and why.</summary>
public abstract class UploadImporterTests(CatalogueProvider provider)
{
    public sealed class OnSqlite() : UploadImporterTests(CatalogueProvider.Sqlite);
    public sealed class OnPostgres() : UploadImporterTests(CatalogueProvider.Postgres), IRunsOnPostgres;

    [CatalogueFact]
    public async Task Accepts_png_and_jpeg_and_records_size_dimensions_and_a_thumbnail()
    {
        using var catalogue = await UploadTestCatalogue.CreateAsync(provider);
        var png = Png(400, 200, seed: 1);
        var jpeg = Jpeg(50, 40, seed: 2);

        var report = await catalogue.ImportAsync(File("shots/a.png", png), File("b.JPG", jpeg));

        Assert.Equal([UploadOutcome.Accepted, UploadOutcome.Accepted], report.Files.Select(f => f.Outcome));
        Assert.Equal((2, 0, 0), (report.Accepted, report.Duplicates, report.Refused));
        Assert.False(report.Failed);
        var images = await catalogue.ImagesAsync();
        Assert.Equal(2, images.Count);
        var (a, b) = (images[0], images[1]);
        Assert.Equal(("shots/a.png", Sha256(png), png.LongLength, 400, 200, ImageLabel.Unlabeled),
            (a.OriginalName, a.ContentHash, a.SizeBytes, a.Width, a.Height, a.Label));
        Assert.Equal(ArtifactStore.ImagePath(catalogue.ProjectId, a.ContentHash, ".png"), a.StoredPath);
        Assert.Equal(png, await System.IO.File.ReadAllBytesAsync(catalogue.Store.Resolve(a.StoredPath)));
        Assert.Equal(("b.JPG", 50, 40), (b.OriginalName, b.Width, b.Height));
        Assert.EndsWith(".jpg", b.StoredPath);
        Assert.Equal([a.Id, b.Id], report.Files.Select(f => f.ImageId!.Value));

        // Thumbnails are JPEGs whose longest side is 192 (never enlarged).
        using var thumbA = Image.Load(catalogue.Store.Resolve(ArtifactStore.ThumbnailPath(catalogue.ProjectId, a.ContentHash)), out var formatA);
        Assert.Equal(JpegFormat.Instance, formatA);
        Assert.Equal((192, 96), (thumbA.Width, thumbA.Height));
        using var thumbB = Image.Load(catalogue.Store.Resolve(ArtifactStore.ThumbnailPath(catalogue.ProjectId, b.ContentHash)));
        Assert.Equal((50, 40), (thumbB.Width, thumbB.Height));
    }

    [CatalogueFact]
    public async Task Reads_non_seekable_streams()
    {
        using var catalogue = await UploadTestCatalogue.CreateAsync(provider);
        var png = Png(20, 10);

        var report = await catalogue.ImportAsync(new UploadedFile("stream.png", () => new UnseekableStream(png)));

        Assert.Equal(UploadOutcome.Accepted, Assert.Single(report.Files).Outcome);
    }

    [CatalogueFact]
    public async Task Reports_duplicates_within_a_batch_and_across_batches()
    {
        using var catalogue = await UploadTestCatalogue.CreateAsync(provider);
        var png = Png(16, 16, seed: 3);
        var other = Png(16, 16, seed: 4);

        var first = await catalogue.ImportAsync(File("one.png", png), File("copy/one-again.png", png), File("two.png", other));
        var second = await catalogue.ImportAsync(File("later.png", png));

        Assert.Equal([UploadOutcome.Accepted, UploadOutcome.Duplicate, UploadOutcome.Accepted], first.Files.Select(f => f.Outcome));
        var images = await catalogue.ImagesAsync();
        Assert.Equal(2, images.Count);
        var inBatch = first.Files[1];
        Assert.Equal("same content as 'one.png', earlier in this upload", inBatch.Reason);
        Assert.Equal(images[0].Id, inBatch.ImageId);

        var across = Assert.Single(second.Files);
        Assert.Equal(UploadOutcome.Duplicate, across.Outcome);
        Assert.Equal("same content as 'one.png', already in the project", across.Reason);
        Assert.Equal(images[0].Id, across.ImageId);
        Assert.Equal(2, (await catalogue.ImagesAsync()).Count);
    }

    [CatalogueFact]
    public async Task Refuses_files_that_are_not_images_and_keeps_the_good_ones()
    {
        using var catalogue = await UploadTestCatalogue.CreateAsync(provider);

        var report = await catalogue.ImportAsync(
            File("notes.txt", "hello"u8.ToArray()),
            File("README", "hello"u8.ToArray()),
            File("fake.png", "this is text, not a picture"u8.ToArray()),
            File("backup.7z", [0x37, 0x7A, 0xBC, 0xAF]),
            File("good.png", Png(8, 8)));

        Assert.Equal(
            [UploadOutcome.Refused, UploadOutcome.Refused, UploadOutcome.Refused, UploadOutcome.Refused, UploadOutcome.Accepted],
            report.Files.Select(f => f.Outcome));
        Assert.StartsWith("not an image: '.txt' files are not supported (.png, .jpg", report.Files[0].Reason);
        Assert.StartsWith("not an image: the name has no extension", report.Files[1].Reason);
        Assert.StartsWith("not a supported image format", report.Files[2].Reason);
        Assert.Equal("'.7z' archives are not opened; upload images or a .zip", report.Files[3].Reason);
        Assert.Single(await catalogue.ImagesAsync());
    }

    [CatalogueFact]
    public async Task Refuses_empty_and_truncated_images()
    {
        using var catalogue = await UploadTestCatalogue.CreateAsync(provider);
        var png = Png(64, 64, seed: 5);

        var report = await catalogue.ImportAsync(File("empty.png", []), File("cut.png", png[..(png.Length / 2)]));

        Assert.Equal("file is empty", report.Files[0].Reason);
        Assert.StartsWith("file is corrupt: ", report.Files[1].Reason);
        Assert.All(report.Files, f => Assert.Equal(UploadOutcome.Refused, f.Outcome));
        Assert.Empty(await catalogue.ImagesAsync());
        Assert.Empty(catalogue.StoredFiles());
    }

    [CatalogueFact]
    public async Task Refuses_an_image_with_too_many_pixels_from_its_header()
    {
        using var catalogue = await UploadTestCatalogue.CreateAsync(provider);

        var report = await catalogue.ImportAsync(File("huge.png", HugePngHeader()));

        var verdict = Assert.Single(report.Files);
        Assert.Equal(UploadOutcome.Refused, verdict.Outcome);
        Assert.Equal("image is 100000x100000 = 10000000000 pixels, over the limit of 50000000", verdict.Reason);
    }

    [CatalogueFact]
    public async Task Refuses_a_file_over_the_byte_limit_without_reading_all_of_it()
    {
        using var catalogue = await UploadTestCatalogue.CreateAsync(provider);
        var importer = catalogue.Importer(UploadLimits.Default with { MaxFileBytes = 1000 });
        var endless = new EndlessStream();
        var seekableEndless = new EndlessStream(seekable: true);

        var report = await importer.ImportAsync(catalogue.ProjectId,
        [
            new UploadedFile("stream.png", () => endless),
            new UploadedFile("known-length.png", () => seekableEndless),
            File("big.png", Png(64, 64)),
            File("small.png", Png(4, 4)),
        ]);

        Assert.Equal("file is over the limit of 1000 bytes", report.Files[0].Reason);
        Assert.InRange(endless.BytesRead, 1001, 1001);
        Assert.StartsWith("file is 4611686018427387903 bytes, over the limit of 1000 bytes", report.Files[1].Reason);
        Assert.Equal(0, seekableEndless.BytesRead);
        Assert.Equal(UploadOutcome.Refused, report.Files[2].Outcome);
        Assert.Equal(UploadOutcome.Accepted, report.Files[3].Outcome);
    }

    [CatalogueFact]
    public async Task The_decoders_byte_limit_applies_too()
    {
        using var catalogue = await UploadTestCatalogue.CreateAsync(provider);
        var importer = catalogue.Importer(decodeLimits: DecodeLimits.Default with { MaxFileBytes = 100 });

        var report = await importer.ImportAsync(catalogue.ProjectId, [File("a.png", Png(32, 32))]);

        Assert.Matches(@"^file is \d+ bytes, over the limit of 100 bytes$", Assert.Single(report.Files).Reason);
    }

    [CatalogueTheory]
    [InlineData("../evil.png")]
    [InlineData("/etc/abs.png")]
    [InlineData("C:\\x.png")]
    public async Task Refuses_unsafe_file_names(string name)
    {
        using var catalogue = await UploadTestCatalogue.CreateAsync(provider);

        var report = await catalogue.ImportAsync(File(name, Png(4, 4)));

        Assert.Equal($"unsafe file name ('{name}')", Assert.Single(report.Files).Reason);
        Assert.Empty(catalogue.StoredFiles());
    }

    [CatalogueFact]
    public async Task A_file_that_cannot_be_opened_is_refused_alone()
    {
        using var catalogue = await UploadTestCatalogue.CreateAsync(provider);

        var report = await catalogue.ImportAsync(
            new UploadedFile("gone.png", () => throw new IOException("the client went away")),
            File("here.png", Png(4, 4)));

        Assert.Equal("could not be read: the client went away", report.Files[0].Reason);
        Assert.Equal(UploadOutcome.Accepted, report.Files[1].Outcome);
    }

    [CatalogueFact]
    public async Task Refuses_a_missing_or_archived_project()
    {
        using var catalogue = await UploadTestCatalogue.CreateAsync(provider);
        var archived = await catalogue.AddProjectAsync("old", archived: true);
        var importer = catalogue.Importer();

        var missing = await Assert.ThrowsAsync<KeyNotFoundException>(() => importer.ImportAsync(9999, [File("a.png", Png(4, 4))]));
        var closed = await Assert.ThrowsAsync<InvalidOperationException>(() => importer.ImportAsync(archived, [File("a.png", Png(4, 4))]));

        Assert.Equal("Project 9999 does not exist.", missing.Message);
        Assert.Contains("archived", closed.Message);
        Assert.Empty(await catalogue.ImagesAsync());
        Assert.Empty(catalogue.StoredFiles());
    }
}
