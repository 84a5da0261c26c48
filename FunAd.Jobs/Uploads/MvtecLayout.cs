using FunAd.Jobs.Catalogue;

namespace FunAd.Jobs.Uploads;

/// <summary>
/// Reads ground truth from MVTec AD-style folders, by names only: a file in a folder named <c>good</c> is
/// Normal; a file in a sibling folder of a <c>good</c> folder (test/good and test/scratch) is Anomalous
/// with that folder's name as its defect type; <c>ground_truth/&lt;defect&gt;/&lt;name&gt;_mask.png</c> is the
/// mask of the image <c>&lt;defect&gt;/&lt;name&gt;.*</c> under the same parent folder (or, failing that, the
/// only such image of the upload or the project), which it makes Anomalous. Everything else is Unlabeled. Labels are for evaluation;
/// training never reads them.
/// </summary>
internal static class MvtecLayout
{
    public const string GoodFolder = "good";
    public const string GroundTruthFolder = "ground_truth";
    public const string MaskSuffix = "_mask";

    /// <summary>
    /// Sets labels and defect types, marks masks and pairs each with its image (of this upload, else
    /// one the project already holds) or refuses it. The project's images count as part of the layout:
    /// a folder upload arrives in batches, so a batch may hold a defect folder whose "good" sibling, or
    /// masks whose images, came in an earlier one. Returns the stored images whose label this upload
    /// reveals (their "good" sibling arrived only now).
    /// </summary>
    public static IReadOnlyList<StoredRelabel> Apply(IReadOnlyList<UploadItem> items, IReadOnlyList<StoredImage> stored)
    {
        var candidates = items.Where(i => i.State == ItemState.Pending).ToList();
        var goodParents = candidates.Select(i => i.Path).Concat(stored.Select(i => i.Path))
            .Select(p => p.Split('/'))
            .Where(s => s.Length >= 2 && IsNamed(s[^2], GoodFolder))
            .Select(s => Join(s[..^2]))
            .ToHashSet(StringComparer.Ordinal);

        var imagesByKey = new Dictionary<Key, List<UploadItem>>();
        var masks = new List<(UploadItem Mask, Key Key)>();
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
                masks.Add((item, new Key(Join(segments[..^3]), segments[^2], imageStem)));
                continue;
            }
            if (segments.Any(s => IsNamed(s, GroundTruthFolder)))
            {
                item.Refuse($"ground-truth file outside the {GroundTruthFolder}/<defect>/<name>{MaskSuffix}.png layout");
                continue;
            }
            (item.Label, item.DefectType) = Classify(segments, goodParents);
            if (PlaceOf(segments) is { } key) Add(imagesByKey, key, item);
        }

        var storedByKey = new Dictionary<Key, List<StoredImage>>();
        var relabel = new List<StoredRelabel>();
        foreach (var image in stored)
        {
            var segments = image.Path.Split('/');
            if (segments.Any(s => IsNamed(s, GroundTruthFolder))) continue;
            if (PlaceOf(segments) is { } key) Add(storedByKey, key, image);
            var (label, defect) = Classify(segments, goodParents);
            if (image.Label == ImageLabel.Unlabeled && label != ImageLabel.Unlabeled) relabel.Add(new StoredRelabel(image.Id, label, defect));
        }

        foreach (var (mask, key) in masks) Pair(mask, key, imagesByKey, storedByKey);
        return relabel;
    }

    /// <summary>What an image's path says: normal in a good folder, a defect type in a sibling folder of one, else unlabeled.</summary>
    private static (ImageLabel Label, string? Defect) Classify(string[] segments, HashSet<string> goodParents) =>
        segments.Length >= 2 && IsNamed(segments[^2], GoodFolder) ? (ImageLabel.Normal, null)
        : segments.Length >= 2 && goodParents.Contains(Join(segments[..^2])) ? (ImageLabel.Anomalous, segments[^2])
        : (ImageLabel.Unlabeled, null);

    /// <summary>
    /// Where a mask under <c>&lt;root&gt;/ground_truth/&lt;folder&gt;/</c> would find this image: the
    /// folder above its own (test), its folder, its name. Any image outside a good folder has one, with
    /// or without a good sibling known yet: a mask names its image, and so makes it a defect.
    /// </summary>
    private static Key? PlaceOf(string[] segments) =>
        segments.Length < 2 || IsNamed(segments[^2], GoodFolder) ? null
            : new Key(segments.Length >= 3 ? Join(segments[..^3]) : null, segments[^2], System.IO.Path.GetFileNameWithoutExtension(segments[^1]));

    /// <summary>A defect image's place: the folder above its split, its defect type, its name without extension.</summary>
    private readonly record struct Key(string? Root, string Defect, string Stem);

    private static void Add<T>(Dictionary<Key, List<T>> byKey, Key key, T value)
    {
        if (!byKey.TryGetValue(key, out var list)) byKey[key] = list = [];
        list.Add(value);
    }

    /// <summary>
    /// Images and masks sent as separate folders or archives do not share a parent: where the exact
    /// place names nothing, defect type and name pair them when they name exactly one image.
    /// </summary>
    private static List<T> Matches<T>(Dictionary<Key, List<T>> byKey, Key key) =>
        byKey.TryGetValue(key, out var exact) ? exact
            : byKey.Where(kv => kv.Key.Defect == key.Defect && kv.Key.Stem == key.Stem).SelectMany(kv => kv.Value).ToList();

    private static void Pair(UploadItem mask, Key key, Dictionary<Key, List<UploadItem>> imagesByKey, Dictionary<Key, List<StoredImage>> storedByKey)
    {
        var matches = Matches(imagesByKey, key);
        if (matches.Count == 0)
        {
            var stored = Matches(storedByKey, key);
            if (stored.Count == 1 && stored[0].HasMask)
                mask.MarkDuplicate($"its image '{stored[0].Path}' already has a mask", stored[0].Id, null);
            else if (stored.Count == 1)
                mask.StoredPartner = stored[0];
            else if (stored.Count > 1)
                mask.Refuse($"mask matches {stored.Count} images of the project ('{stored[0].Path}', '{stored[1].Path}'...), so it is not attached");
            else
                mask.Refuse($"mask without a matching image: no image '{key.Defect}/{key.Stem}.*' in this upload or the project");
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
            // A mask says what its image is, whether or not its good sibling has arrived.
            (matches[0].Label, matches[0].DefectType) = (ImageLabel.Anomalous, mask.DefectType);
        }
    }

    private static bool IsNamed(string segment, string folder) => string.Equals(segment, folder, StringComparison.OrdinalIgnoreCase);

    private static string Join(string[] segments) => string.Join('/', segments);
}
