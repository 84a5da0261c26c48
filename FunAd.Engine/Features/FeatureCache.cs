using System.Buffers.Binary;
using FunAd.Engine.Backbones;

namespace FunAd.Engine.Features;

/// <summary>
/// Features on disk, one file per (feature recipe, image content hash), so a second run over the
/// same images skips the backbone. Files are written beside and renamed, so readers never see a
/// partial file; an unreadable file counts as a miss and is recomputed.
/// </summary>
public sealed class FeatureCache(string root)
{
    private const uint Magic = 0x32464146; // "FAF2"
    private const int HeaderBytes = 20;

    public string Root { get; } = root;

    public bool TryLoad(string recipe, string contentHash, BackboneInfo info, out ImageFeatures features, out int width, out int height)
    {
        features = null!;
        width = height = 0;
        var path = PathFor(recipe, contentHash);
        if (!File.Exists(path)) return false;
        try
        {
            var bytes = File.ReadAllBytes(path);
            if (bytes.Length < HeaderBytes || BinaryPrimitives.ReadUInt32LittleEndian(bytes) != Magic) return false;
            var patchLength = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4));
            var globalLength = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8));
            if (patchLength != info.PatchCount * info.PatchDim || globalLength != info.GlobalDim) return false;
            if (bytes.Length != HeaderBytes + 4L * (patchLength + globalLength)) return false;
            width = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(12));
            height = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(16));
            var patches = new float[patchLength];
            var global = new float[globalLength];
            Buffer.BlockCopy(bytes, HeaderBytes, patches, 0, patchLength * 4);
            Buffer.BlockCopy(bytes, HeaderBytes + patchLength * 4, global, 0, globalLength * 4);
            features = new ImageFeatures(patches, global);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    public void Store(string recipe, string contentHash, ImageFeatures features, int width, int height)
    {
        var path = PathFor(recipe, contentHash);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var bytes = new byte[HeaderBytes + 4L * (features.Patches.Length + features.Global.Length)];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), features.Patches.Length);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), features.Global.Length);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(12), width);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(16), height);
        Buffer.BlockCopy(features.Patches, 0, bytes, HeaderBytes, features.Patches.Length * 4);
        Buffer.BlockCopy(features.Global, 0, bytes, HeaderBytes + features.Patches.Length * 4, features.Global.Length * 4);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        File.WriteAllBytes(temporary, bytes);
        File.Move(temporary, path, overwrite: true);
    }

    private string PathFor(string recipe, string contentHash) =>
        Path.Combine(Root, recipe, contentHash[..2], contentHash + ".feat");
}
