using FunAd.Jobs.Catalogue;

namespace FunAd.Jobs.Uploads;

/// <summary>
/// Reads ground truth from MVTec AD-style folders, by names only: a file in a folder named <c>good</c> is
/// Normal; a file in a sibling folder of a <c>good</c> folder (test/good and test/scratch) is Anomalous
/// with that folder's name as its defect type; <c>ground_truth/&lt;defect&gt;/&lt;name&gt;_mask.png</c> is the
/// mask of the anomalous image <c>&lt;defect&gt;/&lt;name&gt;.*</c> under the same parent folder (or, failing
/// that, the only such image of the upload). Everything else is Unlabeled. Labels are for evaluation;
/// training never reads them.
/// </summary>
internal static class MvtecLayout
{
    public const string GoodFolder = "good";
    public const string GroundTruthFolder = "ground_truth";
    public const string MaskSuffix = "_mask";

    /// <summary>Sets labels and defect types, marks masks and pairs each with its image or refuses it.</summary>
    public static void Apply(IReadOnlyList<UploadItem> items)
    {
        var candidates = items.Where(i => i.State == ItemState.Pending).ToList();
        var goodParents = candidates
            .Select(i => i.Path.Split('/'))
            .Where(s => s.Length >= 2 && IsNamed(s[^2], GoodFolder))
            .Select(s => Join(s[..^2]))
            .ToHashSet(StringComparer.Ordinal);

        var imagesByKey = new Dictionary<(string? Root, string Defect, string Stem), List<UploadItem>>();
        var masks = new List<(UploadItem Mask, string Root, string Defect, string Stem)>();
        foreach (var item in candidates)
        {
            var segments = item.Path.Split('/');
            var stem = System.IO.Path.GetFileNameWithoutExtension(segments[^1]);
            if (segments.Length >= 3 && IsNamed(segments[^3], GroundTruthFolder))
            {
                item.IsMask = true;
                item.Label = ImageLabel.Anomalous;
                item.DefectType = segments[^2];
                var imageStem = stem.EndsWith(MaskSuffix, StringComparison.Ordinal) ? stem[..^MaskSuffix.Length] : stem;
                masks.Add((item, Join(segments[..^3]), segments[^2], imageStem));
            }
            else if (segments.Any(s => IsNamed(s, GroundTruthFolder)))
            {
                item.Refuse($"ground-truth file outside the {GroundTruthFolder}/<defect>/<name>{MaskSuffix}.png layout");
            }
            else if (segments.Length >= 2 && IsNamed(segments[^2], GoodFolder))
            {
                item.Label = ImageLabel.Normal;
            }
            else if (segments.Length >= 2 && goodParents.Contains(Join(segments[..^2])))
            {
                item.Label = ImageLabel.Anomalous;
                item.DefectType = segments[^2];
                // The folder above the split (test): a mask under <root>/ground_truth pairs with it.
                string? root = segments.Length >= 3 ? Join(segments[..^3]) : null;
                var key = (root, segments[^2], stem);
                if (!imagesByKey.TryGetValue(key, out var list)) imagesByKey[key] = list = [];
                list.Add(item);
            }
        }

        foreach (var (mask, root, defect, stem) in masks) Pair(mask, root, defect, stem, imagesByKey);
    }

    private static void Pair(UploadItem mask, string root, string defect, string stem,
        Dictionary<(string? Root, string Defect, string Stem), List<UploadItem>> imagesByKey)
    {
        var matches = imagesByKey.TryGetValue((root, defect, stem), out var exact)
            ? exact
            // Images and masks sent as separate folders or archives do not share a parent: pair by
            // defect and name when that names exactly one image of the upload.
            : imagesByKey.Where(kv => kv.Key.Defect == defect && kv.Key.Stem == stem).SelectMany(kv => kv.Value).ToList();
        if (matches.Count == 0)
        {
            mask.Refuse($"mask without a matching image: no image '{defect}/{stem}.*' beside a '{GoodFolder}' folder in this upload");
        }
        else if (matches.Count > 1)
        {
            mask.Refuse($"mask matches {matches.Count} images ('{matches[0].Name}', '{matches[1].Name}'...), so it is not attached");
        }
        else if (matches[0].Partner is { } other)
        {
            mask.Refuse($"image '{matches[0].Name}' already has the mask '{other.Name}'");
        }
        else
        {
            mask.Partner = matches[0];
            matches[0].Partner = mask;
        }
    }

    private static bool IsNamed(string segment, string folder) => string.Equals(segment, folder, StringComparison.OrdinalIgnoreCase);

    private static string Join(string[] segments) => string.Join('/', segments);
}
