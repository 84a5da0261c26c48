using System.Text.Json;

namespace FunAd.Engine.MemoryBank;

/// <summary>
/// Which training image each memory-bank row came from: the images' content hashes (SHA-256 of the
/// file's bytes, an image's index is its place here) and each row's image index. With it a training
/// image is scored against the bank without its own rows, as a new image of its kind would be:
/// otherwise a defective training image that stayed in the bank finds its own defect there and
/// scores zero (PatchCore's bank keeps every image; funad-bank's keeps what FUN-AD did not set aside).
/// </summary>
public sealed record BankImages(IReadOnlyList<string> Hashes, int[] RowOwners)
{
    public const string File = "memory_bank_images.json";

    private readonly Dictionary<string, int> _index = Index(Hashes);

    /// <summary>The image index of the training image with this content hash, or -1 when it was not trained on.</summary>
    public int IndexOf(string contentHash) => _index.GetValueOrDefault(contentHash, -1);

    /// <summary>
    /// The owners of the chosen rows (<paramref name="ownerOfRow"/>: the image index of each bank row in
    /// the training set's numbering), renumbered so identical images share one index; null when the
    /// bank holds rows of fewer than two images (leaving an image out would leave nothing to compare).
    /// </summary>
    public static BankImages? Of(IReadOnlyList<string> trainingHashes, IReadOnlyList<int> ownerOfRow)
    {
        var hashes = new List<string>();
        var byHash = new Dictionary<string, int>(StringComparer.Ordinal);
        var owners = new int[ownerOfRow.Count];
        for (var r = 0; r < owners.Length; r++)
        {
            var hash = trainingHashes[ownerOfRow[r]];
            if (!byHash.TryGetValue(hash, out var index))
            {
                index = hashes.Count;
                byHash[hash] = index;
                hashes.Add(hash);
            }
            owners[r] = index;
        }
        return hashes.Count < 2 ? null : new BankImages(hashes, owners);
    }

    public void Save(string directory) =>
        System.IO.File.WriteAllText(Path.Combine(directory, File), JsonSerializer.Serialize(new Stored(Hashes.ToArray(), RowOwners)));

    /// <summary>The bank's owners saved beside it, or null for a model saved before they were kept.</summary>
    public static BankImages? Load(string directory, int bankRows)
    {
        var path = Path.Combine(directory, File);
        if (!System.IO.File.Exists(path)) return null;
        var stored = JsonSerializer.Deserialize<Stored>(System.IO.File.ReadAllText(path))
                     ?? throw new InvalidDataException($"{path}: empty.");
        if (stored.Hashes is null || stored.RowOwners is null || stored.RowOwners.Length != bankRows)
            throw new InvalidDataException($"{path}: expected the owner of each of the bank's {bankRows} rows.");
        if (stored.RowOwners.Any(o => o < 0 || o >= stored.Hashes.Length))
            throw new InvalidDataException($"{path}: a row's owner is outside the {stored.Hashes.Length} images listed.");
        return new BankImages(stored.Hashes, stored.RowOwners);
    }

    private static Dictionary<string, int> Index(IReadOnlyList<string> hashes)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < hashes.Count; i++) index.TryAdd(hashes[i], i);
        return index;
    }

    private sealed record Stored(string[] Hashes, int[] RowOwners);
}
