using System.Buffers.Binary;
using System.IO.Compression;

namespace FunAd.Bench.Data;

/// <summary>Fashion-MNIST in its IDX files (Debian's dataset-fashion-mnist): 28x28 grey images and labels 0..9.</summary>
public sealed record FashionMnist(byte[][] Images, byte[] Labels)
{
    public const string DefaultFolder = "/usr/share/datasets/fashion-mnist";
    public static readonly string[] ClassNames = ["t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle-boot"];

    public static FashionMnist Load(string folder, bool train)
    {
        var prefix = train ? "train" : "t10k";
        var images = Path.Combine(folder, $"{prefix}-images-idx3-ubyte.gz");
        var labels = Path.Combine(folder, $"{prefix}-labels-idx1-ubyte.gz");
        if (!File.Exists(images))
            throw new FileNotFoundException($"{images} not found: install it with 'apt-get install dataset-fashion-mnist'.", images);
        var imageBytes = ReadGzip(images);
        var labelBytes = ReadGzip(labels);
        var count = BinaryPrimitives.ReadInt32BigEndian(imageBytes.AsSpan(4));
        var rows = BinaryPrimitives.ReadInt32BigEndian(imageBytes.AsSpan(8));
        var columns = BinaryPrimitives.ReadInt32BigEndian(imageBytes.AsSpan(12));
        if (BinaryPrimitives.ReadInt32BigEndian(imageBytes) != 0x803 || BinaryPrimitives.ReadInt32BigEndian(labelBytes) != 0x801)
            throw new InvalidDataException($"{folder}: not IDX image/label files.");
        var result = new byte[count][];
        for (var i = 0; i < count; i++) result[i] = imageBytes.AsSpan(16 + i * rows * columns, rows * columns).ToArray();
        return new FashionMnist(result, labelBytes.AsSpan(8, count).ToArray());
    }

    private static byte[] ReadGzip(string path)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gzip.CopyTo(memory);
        return memory.ToArray();
    }
}
