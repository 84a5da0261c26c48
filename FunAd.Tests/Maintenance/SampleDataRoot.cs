using FunAd.Engine.Imaging;
using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Maintenance;
using FunAd.Jobs.Storage;
using FunAd.Jobs.Uploads;
using FunAd.Tests.Support;
using Microsoft.EntityFrameworkCore;
using SixLabors.ImageSharp;

namespace FunAd.Tests.Maintenance;

/// <summary>
/// A data root as the app leaves it, in a <see cref="CatalogueFixture"/>: a project whose images were
/// uploaded through the real importer (crops of the brick photograph, MVTec layout, so with
/// thumbnails and one ground-truth mask), a succeeded run with its model folder, ONNX file, scores
/// and heatmaps, and a reviewer's verdict on the defective image.
/// </summary>
public sealed record SampleDataRoot(int ProjectId, int RunId, IReadOnlyList<ImageAsset> Images, ImageAsset Defective, string ModelPath, string OnnxPath)
{
    public static async Task<SampleDataRoot> CreateAsync(CatalogueFixture catalogue)
    {
        var project = await catalogue.AddProjectAsync();
        using var source = new TemporaryFolder();
        var layout = TestImages.WriteMvtecLayout(source.Combine("bricks"), train: 3, testGood: 1, testDefect: 1, size: 64);
        var files = Directory.EnumerateFiles(layout, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => UploadedFile.FromBytes("bricks/" + Path.GetRelativePath(layout, f).Replace('\\', '/'), File.ReadAllBytes(f)))
            .ToList();
        var upload = await new UploadImporter(catalogue.Factory, catalogue.Store, UploadLimits.Default, DecodeLimits.Default).ImportAsync(project.Id, files);
        Assert.Equal((6, 1), (upload.Accepted, upload.MasksAttached)); // five images and one mask

        await using var db = await catalogue.Factory.CreateDbContextAsync();
        var images = await db.Images.AsNoTracking().OrderBy(i => i.Id).ToListAsync();
        var defective = Assert.Single(images, i => i.MaskPath is not null);

        var run = new TrainingRun { ProjectId = project.Id, Method = "funad", Profile = "fast", ParametersJson = "{}", Status = RunStatus.Succeeded };
        db.Runs.Add(run);
        await db.SaveChangesAsync();
        var folder = ArtifactStore.RunFolder(project.Id, run.Id);
        // Files first, then the rows naming them, as the training job does.
        catalogue.Store.WriteAtomically($"{folder}/model/model.json", "{\"format\":1}"u8);
        catalogue.Store.WriteAtomically($"{folder}/model/local_net.npy", Enumerable.Range(0, 4096).Select(i => (byte)i).ToArray());
        catalogue.Store.WriteAtomically($"{folder}/model/checkpoint/state.json", "{\"epoch\":3}"u8);
        catalogue.Store.WriteAtomically($"{folder}/model.onnx", Enumerable.Range(0, 8192).Select(i => (byte)(i * 7)).ToArray());
        foreach (var image in images)
        {
            var heatmap = $"{folder}/heatmaps/{image.Id}.png";
            using (var crop = TestImages.BrickCrop(0, 0, 16))
            using (var png = new MemoryStream())
            {
                crop.SaveAsPng(png);
                catalogue.Store.WriteAtomically(heatmap, png.ToArray());
            }
            db.Scores.Add(new ScoreResult { RunId = run.Id, ImageId = image.Id, Score = image.Id == defective.Id ? 0.9 : 0.1, HeatmapPath = heatmap });
        }
        run.Outcome.ModelPath = $"{folder}/model";
        run.Outcome.OnnxPath = $"{folder}/model.onnx";
        db.Reviews.Add(new Review { ImageId = defective.Id, Verdict = Verdict.Defect, By = "reviewer@example.com" });
        await db.SaveChangesAsync();
        return new SampleDataRoot(project.Id, run.Id, images, defective, run.Outcome.ModelPath, run.Outcome.OnnxPath);
    }

    public static IntegrityCheck Check(CatalogueFixture catalogue) => new(catalogue.Factory, catalogue.Store, DecodeLimits.Default);

    /// <summary>Every file under the root but the catalogue's own, '/'-separated, with its bytes.</summary>
    public static Dictionary<string, byte[]> Files(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith("catalogue.db", StringComparison.Ordinal))
            .ToDictionary(f => f, f => File.ReadAllBytes(Path.Combine(root, f)), StringComparer.Ordinal);

    /// <summary>Writes a file under the root and dates it <paramref name="age"/> back.</summary>
    public static string Put(string root, string relativePath, byte[] content, TimeSpan age = default)
    {
        var full = Path.Combine(root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, content);
        if (age > TimeSpan.Zero) File.SetLastWriteTimeUtc(full, DateTime.UtcNow - age);
        return relativePath;
    }
}
