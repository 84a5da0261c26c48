using FunAd.Engine.Features;
using FunAd.Engine.Imaging;

namespace FunAd.Engine.Inference;

/// <summary>
/// Decodes and resizes a batch of image files on every core into one reused [N,3,S,S] buffer, in
/// input order; files that cannot be decoded are left out and reported with their reasons. Asked to,
/// it also hashes each file's bytes (SHA-256, the content hash training records), from the same read.
/// </summary>
public sealed class ImageBatchDecoder
{
    private readonly IReadOnlyList<ImageSource> sources;
    private readonly int size;
    private readonly bool centerCrop;
    private readonly DecodeLimits limits;
    private readonly int plane;
    private readonly bool[] decoded;
    private readonly bool hashContent;
    // The batch being decoded: its first source and each slot's refusal.
    private int first;
    private ImageDecodeException?[] refused = [];

    public ImageBatchDecoder(IReadOnlyList<ImageSource> sources, int size, int batchSize, bool centerCrop, DecodeLimits limits, bool hashContent = false)
    {
        this.hashContent = hashContent;
        this.sources = sources;
        this.size = size;
        this.centerCrop = centerCrop;
        this.limits = limits;
        plane = 3 * size * size;
        Buffer = new float[batchSize * plane];
        Indices = new int[batchSize];
        Sizes = new (int, int)[batchSize];
        Hashes = new string[batchSize];
        decoded = new bool[batchSize];
    }

    /// <summary>The decoded batch: image k of the last <see cref="Decode"/> at [k*3*S*S, (k+1)*3*S*S).</summary>
    public float[] Buffer { get; }

    /// <summary>Image k's index into the sources.</summary>
    public int[] Indices { get; }

    /// <summary>Image k's own width and height, for sizing its map back.</summary>
    public (int Width, int Height)[] Sizes { get; }

    /// <summary>Image k's content hash (lower-case hex SHA-256 of the file), when the decoder hashes content; else empty.</summary>
    public string[] Hashes { get; }

    /// <summary>Decodes sources [start, end) (at most the batch size) on every core; returns how many decoded.</summary>
    public int Decode(int start, int end, Action<ImageDecodeException> refuse, CancellationToken cancellation = default)
    {
        Begin(start, end);
        Parallel.For(0, end - start, new ParallelOptions { CancellationToken = cancellation }, DecodeSlot);
        return Finish(refuse);
    }

    private void Begin(int start, int end)
    {
        if (end - start > decoded.Length) throw new ArgumentOutOfRangeException(nameof(end), $"A batch holds at most {decoded.Length} images.");
        first = start;
        refused = new ImageDecodeException?[end - start];
        Array.Clear(decoded);
    }

    private void DecodeSlot(int slot)
    {
        var index = first + slot;
        try
        {
            RgbImage image;
            if (hashContent)
            {
                var bytes = ImageLoader.ReadBytes(sources[index].Path, sources[index].Path, limits);
                Hashes[slot] = ContentHash.Of(bytes);
                using var stream = new MemoryStream(bytes, writable: false);
                image = ImageLoader.Load(stream, sources[index].Path, limits);
            }
            else
            {
                image = ImageLoader.Load(sources[index].Path, limits);
            }
            ImageResizer.ToChw(image, size, centerCrop, Buffer.AsSpan(slot * plane, plane));
            Indices[slot] = index;
            Sizes[slot] = (image.Width, image.Height);
            decoded[slot] = true;
        }
        catch (ImageDecodeException e)
        {
            refused[slot] = e;
        }
        catch (IOException e)
        {
            refused[slot] = new ImageDecodeException(sources[index].Name, $"cannot be read ({e.Message})", e);
        }
    }

    /// <summary>Reports the batch's refused files in input order and moves the decoded images to the front.</summary>
    private int Finish(Action<ImageDecodeException> refuse)
    {
        foreach (var reason in refused)
            if (reason is not null) refuse(reason);
        // Slots past this batch's count were cleared in Begin, so the whole array serves.
        return BatchCompaction.Compact(Buffer, plane, decoded, (from, to) =>
        {
            Indices[to] = Indices[from];
            Sizes[to] = Sizes[from];
            Hashes[to] = Hashes[from];
        });
    }
}
