using FunAd.Engine.Features;

namespace FunAd.Engine.Datasets;

/// <summary>
/// Reads the MVTec AD folder layout (also used by VisA exports and by FunAd's own benchmark sets):
/// <c>train/good</c>, <c>test/good</c>, <c>test/&lt;defect type&gt;</c> and
/// <c>ground_truth/&lt;defect type&gt;/&lt;name&gt;_mask.png</c>.
/// </summary>
public static class MvtecLayout
{
    public static IReadOnlyList<LabelledImage> ReadTestSet(string root)
    {
        var test = Path.Combine(root, "test");
        if (!Directory.Exists(test)) throw new DirectoryNotFoundException($"{root}: not an MVTec AD layout (no test/ folder).");
        var images = new List<LabelledImage>();
        foreach (var category in Directory.GetDirectories(test).Select(Path.GetFileName).Order(StringComparer.Ordinal))
        {
            var isGood = category == "good";
            foreach (var source in ImageFolder.Scan(Path.Combine(test, category!)))
            {
                string? mask = null;
                if (!isGood)
                {
                    var stem = Path.GetFileNameWithoutExtension(source.Path);
                    mask = Path.Combine(root, "ground_truth", category!, stem + "_mask.png");
                    if (!File.Exists(mask)) mask = null;
                }
                images.Add(new LabelledImage(source with { Name = $"{category}/{source.Name}" }, !isGood, mask, category!));
            }
        }
        if (images.Count == 0) throw new InvalidDataException($"{root}: the test/ folder holds no images.");
        if (images.All(i => i.IsAnomalous) || images.All(i => !i.IsAnomalous))
            throw new InvalidDataException($"{root}: the test set needs both good and defective images to compute AUROC.");
        return images;
    }

    public static IReadOnlyList<ImageSource> ReadTrainingSet(string root)
    {
        var train = Path.Combine(root, "train");
        return Directory.Exists(train) ? ImageFolder.Scan(train) : throw new DirectoryNotFoundException($"{root}: not an MVTec AD layout (no train/ folder).");
    }
}
