using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Hosting;
using FunAd.Jobs.Storage;
using FunAd.Jobs.Uploads;
using FunAd.Tests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using static FunAd.Tests.Uploads.UploadTestFiles;

namespace FunAd.Tests.Uploads;

/// <summary>Ground truth read from MVTec AD-style folders: labels, defect types and masks.</summary>
public abstract class MvtecUploadTests(CatalogueProvider provider)
{
    public sealed class OnSqlite() : MvtecUploadTests(CatalogueProvider.Sqlite);
    public sealed class OnPostgres() : MvtecUploadTests(CatalogueProvider.Postgres), IRunsOnPostgres;

    private static readonly Rectangle Scratch = new(4, 6, 10, 3);

    /// <summary>One category of an MVTec-style set, as a folder upload would name its files.</summary>
    private static (string Name, byte[] Content)[] Category(string root, int seed = 0) =>
    [
        ($"{root}train/good/000.png", Png(24, 20, seed: seed + 1)),
        ($"{root}test/good/000.png", Png(24, 20, seed: seed + 2)),
        ($"{root}test/scratch/000.png", Png(24, 20, seed: seed + 3)),
        ($"{root}ground_truth/scratch/000_mask.png", Mask(24, 20, Scratch, value: 128)),
        ($"{root}notes/extra.png", Png(24, 20, seed: seed + 4)),
    ];

    [CatalogueFact]
    public async Task Folder_upload_gives_labels_defect_types_and_masks()
    {
        using var catalogue = await UploadTestCatalogue.CreateAsync(provider);

        var report = await catalogue.ImportAsync([.. Category("bottle/").Select(f => File(f.Name, f.Content))]);

        await AssertCategoryImported(catalogue, report, "bottle/");
    }

    [CatalogueFact]
    public async Task Archive_upload_gives_labels_defect_types_and_masks()
    {
        using var catalogue = await UploadTestCatalogue.CreateAsync(provider);

        var report = await catalogue.ImportAsync(File("mvtec.zip", Zip(Category("bottle/"))));

        await AssertCategoryImported(catalogue, report, "mvtec.zip/bottle/");
    }

    private static async Task AssertCategoryImported(UploadTestCatalogue catalogue, UploadReport report, string prefix)
    {
        Assert.Equal((5, 0, 0, 1), (report.Accepted, report.Duplicates, report.Refused, report.MasksAttached));
        var byName = report.Files.ToDictionary(f => f.Name[prefix.Length..]);
        Assert.Equal((ImageLabel.Normal, null), (byName["train/good/000.png"].Label, byName["train/good/000.png"].DefectType));
        Assert.Equal(ImageLabel.Normal, byName["test/good/000.png"].Label);
        Assert.Equal((ImageLabel.Anomalous, "scratch", true), (byName["test/scratch/000.png"].Label, byName["test/scratch/000.png"].DefectType, byName["test/scratch/000.png"].HasMask));
        Assert.Equal(ImageLabel.Unlabeled, byName["notes/extra.png"].Label);
        var mask = byName["ground_truth/scratch/000_mask.png"];
        Assert.True(mask.IsMask);
        Assert.Equal(byName["test/scratch/000.png"].ImageId, mask.ImageId);

        // Masks are not images of the set: four rows, the defective one pointing at its mask.
        var images = await catalogue.ImagesAsync();
        Assert.Equal(4, images.Count);
        var defective = Assert.Single(images, i => i.Label == ImageLabel.Anomalous);
        Assert.Equal(("scratch", ArtifactStore.MaskPath(catalogue.ProjectId, defective.ContentHash)), (defective.DefectType, defective.MaskPath));
        Assert.All(images.Where(i => i != defective), i => Assert.Null(i.MaskPath));

        // Stored binary: 255 inside the defect (uploaded as 128), 0 elsewhere, at the image's size.
        using var stored = Image.Load<L8>(catalogue.Store.Resolve(defective.MaskPath!));
        Assert.Equal((24, 20), (stored.Width, stored.Height));
        for (int y = 0; y < 20; y++)
        for (int x = 0; x < 24; x++)
            Assert.Equal(Scratch.Contains(x, y) ? 255 : 0, stored[x, y].PackedValue);
    }

    [CatalogueFact]
    public async Task Masks_pair_with_their_own_category_in_a_multi_category_upload()
    {
        using var catalogue = await UploadTestCatalogue.CreateAsync(provider);
        var files = Category("bottle/").Concat(Category("cable/", seed: 10));

        var report = await catalogue.ImportAsync([.. files.Select(f => File(f.Name, f.Content))]);

        Assert.Equal(0, report.Refused);
        Assert.Equal(2, report.MasksAttached);
        var images = await catalogue.ImagesAsync();
        foreach (var root in new[] { "bottle/", "cable/" })
        {
            var image = Assert.Single(images, i => i.OriginalName == $"{root}test/scratch/000.png");
            var mask = Assert.Single(report.Files, f => f.Name == $"{root}ground_truth/scratch/000_mask.png");
            Assert.Equal(image.Id, mask.ImageId);
        }
    }

    [CatalogueFact]
    public async Task Masks_pair_with_images_sent_as_separate_archives()
    {
        using var catalogue = await UploadTestCatalogue.CreateAsync(provider);
        var test = Zip(("test/good/000.png", Png(24, 20, seed: 2)), ("test/scratch/000.png", Png(24, 20, seed: 3)));
        var truth = Zip(("ground_truth/scratch/000_mask.png", Mask(24, 20, Scratch)));

        var report = await catalogue.ImportAsync(File("test.zip", test), File("truth.zip", truth));

        var mask = Assert.Single(report.Files, f => f.IsMask);
        Assert.Equal(UploadOutcome.Accepted, mask.Outcome);
        Assert.NotNull((await catalogue.ImagesAsync()).Single(i => i.Label == ImageLabel.Anomalous).MaskPath);
    }

    [CatalogueFact]
    public async Task Refuses_a_mask_whose_size_differs_from_its_image()
    {
        using var catalogue = await UploadTestCatalogue.CreateAsync(provider);

        var report = await catalogue.ImportAsync(
            File("test/good/000.png", Png(24, 20, seed: 1)),
            File("test/crack/001.png", Png(24, 20, seed: 2)),
            File("ground_truth/crack/001_mask.png", Mask(20, 24, new Rectangle(1, 1, 3, 3))));

        var image = report.Files[1];
        Assert.Equal((UploadOutcome.Accepted, ImageLabel.Anomalous, "crack", false), (image.Outcome, image.Label, image.DefectType, image.HasMask));
        var mask = report.Files[2];
        Assert.Equal(UploadOutcome.Refused, mask.Outcome);
        Assert.Equal("mask is 20x24 but its image 'test/crack/001.png' is 24x20", mask.Reason);
        Assert.All(await catalogue.ImagesAsync(), i => Assert.Null(i.MaskPath));
        Assert.DoesNotContain(catalogue.StoredFiles(), f => f.Contains("/masks/"));
    }

    [CatalogueFact]
    public async Task Refuses_masks_without_a_matching_image()
    {
        using var catalogue = await UploadTestCatalogue.CreateAsync(provider);

        var report = await catalogue.ImportAsync(
            File("test/good/000.png", Png(8, 8, seed: 1)),
            File("ground_truth/crack/007_mask.png", Mask(8, 8, new Rectangle(1, 1, 2, 2))),
            File("ground_truth/crack/007/extra.png", Mask(8, 8, new Rectangle(1, 1, 2, 2))));

        Assert.Equal(UploadOutcome.Accepted, report.Files[0].Outcome);
        Assert.Equal("mask without a matching image: no image 'crack/007.*' in this upload or the project", report.Files[1].Reason);
        Assert.Equal("ground-truth file outside the ground_truth/<defect>/<name>_mask.png layout", report.Files[2].Reason);
        Assert.Single(await catalogue.ImagesAsync());
    }

    [CatalogueFact]
    public async Task A_mask_whose_image_is_a_duplicate_attaches_to_the_stored_copy_once()
    {
        using var catalogue = await UploadTestCatalogue.CreateAsync(provider);
        var defect = Png(8, 8, seed: 3);
        await catalogue.ImportAsync(File("earlier.png", defect));

        var report = await catalogue.ImportAsync(
            File("test/good/000.png", Png(8, 8, seed: 1)),
            File("test/dent/000.png", defect),
            File("ground_truth/dent/000_mask.png", Mask(8, 8, new Rectangle(1, 1, 2, 2))));

        Assert.Equal(UploadOutcome.Duplicate, report.Files[1].Outcome);
        Assert.Equal(UploadOutcome.Accepted, report.Files[2].Outcome);
        var earlier = Assert.Single(await catalogue.ImagesAsync(), i => i.OriginalName == "earlier.png");
        Assert.Equal((ImageLabel.Anomalous, "dent"), (earlier.Label, earlier.DefectType));
        Assert.Equal(ArtifactStore.MaskPath(catalogue.ProjectId, earlier.ContentHash), earlier.MaskPath);
        Assert.Equal(earlier.Id, report.Files[2].ImageId);

        // The same upload again: its image already has a mask, so the mask is a duplicate, not an error.
        var again = await catalogue.ImportAsync(File("ground_truth/dent/000_mask.png", Mask(8, 8, new Rectangle(1, 1, 2, 2))),
            File("test/dent/000.png", defect));
        Assert.Equal(UploadOutcome.Duplicate, again.Files[0].Outcome);
        Assert.Contains("already", again.Files[0].Reason);
    }

    /// <summary>
    /// A browser sends a folder in batches, in whatever order it lists the files: defect folders before
    /// their good sibling, masks before or after their images. Every mask and label still lands.
    /// </summary>
    [CatalogueFact]
    public async Task A_folder_sent_in_batches_in_any_order_gets_every_label_and_mask()
    {
        using var catalogue = await UploadTestCatalogue.CreateAsync(provider);
        var files = Category("bottle/").Concat(
        [
            ("bottle/test/crack/001.png", Png(24, 20, seed: 11)),
            ("bottle/ground_truth/crack/001_mask.png", Mask(24, 20, Scratch)),
        ]).ToDictionary(f => f.Item1, f => f.Item2);
        UploadedFile[] Batch(params string[] names) => [.. names.Select(n => File(n, files[n]))];

        // A defect image alone (no good folder yet), its mask in the next batch, the good folders last.
        var first = await catalogue.ImportAsync(Batch("bottle/test/scratch/000.png", "bottle/test/crack/001.png"));
        Assert.All(first.Files, f => Assert.Equal((UploadOutcome.Accepted, ImageLabel.Unlabeled), (f.Outcome, f.Label)));
        var second = await catalogue.ImportAsync(Batch("bottle/ground_truth/scratch/000_mask.png"));
        Assert.Equal(UploadOutcome.Accepted, Assert.Single(second.Files).Outcome);
        var third = await catalogue.ImportAsync(Batch("bottle/train/good/000.png", "bottle/test/good/000.png", "bottle/notes/extra.png"));
        Assert.Equal(3, third.Accepted);
        var fourth = await catalogue.ImportAsync(Batch("bottle/ground_truth/crack/001_mask.png"));
        Assert.Equal(UploadOutcome.Accepted, Assert.Single(fourth.Files).Outcome);

        var images = (await catalogue.ImagesAsync()).ToDictionary(i => i.OriginalName);
        Assert.Equal(5, images.Count);
        Assert.Equal((ImageLabel.Anomalous, "scratch", true), (images["bottle/test/scratch/000.png"].Label, images["bottle/test/scratch/000.png"].DefectType, images["bottle/test/scratch/000.png"].MaskPath is not null));
        Assert.Equal((ImageLabel.Anomalous, "crack", true), (images["bottle/test/crack/001.png"].Label, images["bottle/test/crack/001.png"].DefectType, images["bottle/test/crack/001.png"].MaskPath is not null));
        Assert.Equal(ImageLabel.Normal, images["bottle/test/good/000.png"].Label);
        Assert.Equal(ImageLabel.Unlabeled, images["bottle/notes/extra.png"].Label);
        Assert.True(catalogue.Store.Exists(images["bottle/test/crack/001.png"].MaskPath!));
    }
}
