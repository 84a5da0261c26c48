using FunAd.Engine.Backbones;
using FunAd.Engine.Imaging;

namespace FunAd.Engine.Features;

/// <summary>What came out of a feature run: the images that worked, in input order, and the ones refused.</summary>
public sealed record FeatureRun(IReadOnlyList<ExtractedImage> Images, IReadOnlyList<ImageDecodeException> Refused);

/// <summary>
/// Files in, features out: reads and hashes each file, takes cached features where they exist,
/// otherwise decodes, resizes and batches images through the backbone. The next batch is decoded
/// while the backbone runs the current one.
/// </summary>
public sealed class FeaturePipeline(IFeatureExtractor extractor, FeatureSettings settings, FeatureCache? cache, DecodeLimits limits)
{
    public FeatureRun Run(IReadOnlyList<ImageSource> sources, IProgress<FeatureProgress>? progress = null, CancellationToken cancellation = default)
    {
        var info = extractor.Info;
        var recipe = settings.CacheRecipe(info.Id);
        var batchSize = extractor.PreferredBatchSize;
        var results = new ExtractedImage?[sources.Count];
        var refused = new ImageDecodeException?[sources.Count];
        int done = 0, fromCache = 0;

        Prepared Prepare(int start)
        {
            var count = Math.Min(batchSize, sources.Count - start);
            var length = 3 * info.InputSize * info.InputSize;
            var prepared = new Prepared(new float[count * length], new int[count], new string[count], new (int, int)[count]);
            var decoded = new bool[count];
            Parallel.For(start, start + count, new ParallelOptions { CancellationToken = cancellation }, index =>
            {
                var source = sources[index];
                try
                {
                    var bytes = ImageLoader.ReadBytes(source.Path, source.Name, limits);
                    var hash = ContentHash.Of(bytes);
                    if (cache is not null && cache.TryLoad(recipe, hash, info, out var cached, out var width, out var height))
                    {
                        results[index] = new ExtractedImage(source, hash, width, height, cached);
                        Interlocked.Increment(ref fromCache);
                        return;
                    }
                    using var stream = new MemoryStream(bytes, writable: false);
                    var image = ImageLoader.Load(stream, source.Name, limits);
                    var slot = index - start;
                    ImageResizer.ToChw(image, info.InputSize, settings.CenterCrop, prepared.Batch.AsSpan(slot * length, length));
                    prepared.Indices[slot] = index;
                    prepared.Hashes[slot] = hash;
                    prepared.Sizes[slot] = (image.Width, image.Height);
                    decoded[slot] = true;
                }
                catch (ImageDecodeException e)
                {
                    refused[index] = e;
                }
                catch (IOException e)
                {
                    refused[index] = new ImageDecodeException(source.Name, $"cannot be read ({e.Message})", e);
                }
            });
            var packed = BatchCompaction.Compact(prepared.Batch, length, decoded, (from, to) =>
            {
                prepared.Indices[to] = prepared.Indices[from];
                prepared.Hashes[to] = prepared.Hashes[from];
                prepared.Sizes[to] = prepared.Sizes[from];
            });
            return prepared with { Count = packed, End = start + count };
        }

        var next = sources.Count > 0 ? Task.Run(() => Prepare(0), cancellation) : null;
        while (next is not null)
        {
            var current = next.GetAwaiter().GetResult();
            next = current.End < sources.Count ? Task.Run(() => Prepare(current.End), cancellation) : null;
            cancellation.ThrowIfCancellationRequested();
            if (current.Count > 0)
            {
                var features = extractor.Extract(current.Batch, current.Count);
                for (var slot = 0; slot < current.Count; slot++)
                {
                    var index = current.Indices[slot];
                    var (width, height) = current.Sizes[slot];
                    cache?.Store(recipe, current.Hashes[slot], features[slot], width, height);
                    results[index] = new ExtractedImage(sources[index], current.Hashes[slot], width, height, features[slot]);
                }
            }
            done = current.End;
            progress?.Report(new FeatureProgress(done, sources.Count, Volatile.Read(ref fromCache)));
        }

        return new FeatureRun(
            results.Where(r => r is not null).Select(r => r!).ToList(),
            refused.Where(r => r is not null).Select(r => r!).ToList());
    }

    private sealed record Prepared(float[] Batch, int[] Indices, string[] Hashes, (int Width, int Height)[] Sizes)
    {
        public int Count { get; init; }
        public int End { get; init; }
    }
}
