using FunAd.Engine.Features;
using FunAd.Engine.Imaging;
using FunAd.Engine.Models;

namespace FunAd.Engine.Inference;

/// <summary>The scores of a run and the files refused with their reasons.</summary>
public sealed record ScoringRun(IReadOnlyList<ScoredFile> Images, IReadOnlyList<ImageDecodeException> Refused);

/// <summary>
/// Files in, scores and maps out, through the exported model: decodes and resizes a batch on every
/// core, scores it, and reuses its batch buffers.
/// </summary>
public sealed class ScoringPipeline(OnnxAnomalyScorer scorer, FeatureSettings settings, DecodeLimits limits)
{
    public ScoringRun Run(IReadOnlyList<ImageSource> sources, IProgress<StageProgress>? progress = null, CancellationToken cancellation = default)
    {
        var size = scorer.InputSize;
        var plane = size * size;
        var batchSize = scorer.PreferredBatchSize;
        var results = new ScoredFile?[sources.Count];
        var refused = new ImageDecodeException?[sources.Count];
        var buffers = new[] { new float[batchSize * 3 * plane] };
        var scores = new float[batchSize];
        var maps = new float[batchSize * plane];

        (int Start, int End, int[] Slots, (int W, int H)[] Sizes, int Count) Prepare(int start, float[] buffer)
        {
            var end = Math.Min(start + batchSize, sources.Count);
            var slots = new int[end - start];
            var sizes = new (int, int)[end - start];
            var decoded = new bool[end - start];
            Parallel.For(start, end, new ParallelOptions { CancellationToken = cancellation }, index =>
            {
                try
                {
                    var image = ImageLoader.Load(sources[index].Path, limits);
                    var slot = index - start;
                    ImageResizer.ToChw(image, size, settings.CenterCrop, buffer.AsSpan(slot * 3 * plane, 3 * plane));
                    slots[slot] = index;
                    sizes[slot] = (image.Width, image.Height);
                    decoded[slot] = true;
                }
                catch (ImageDecodeException e)
                {
                    refused[index] = e;
                }
                catch (IOException e)
                {
                    refused[index] = new ImageDecodeException(sources[index].Name, $"cannot be read ({e.Message})", e);
                }
            });
            var filled = BatchCompaction.Compact(buffer, 3 * plane, decoded, (from, to) =>
            {
                slots[to] = slots[from];
                sizes[to] = sizes[from];
            });
            return (start, end, slots, sizes, filled);
        }

        // Batches are decoded on every core, then scored on every core, one after the other. Decoding
        // the next batch beside the scoring looked free, but ONNX Runtime splits each operator across
        // all cores and waits for its slowest part: a decoding thread taking one core stalled the whole
        // batch (measured: 0.75 of the bare backbone from files with the overlap).
        for (var start = 0; start < sources.Count;)
        {
            cancellation.ThrowIfCancellationRequested();
            var current = Prepare(start, buffers[0]);
            if (current.Count > 0)
            {
                scorer.Score(buffers[0], current.Count, scores, maps);
                for (var slot = 0; slot < current.Count; slot++)
                {
                    var index = current.Slots[slot];
                    var (width, height) = current.Sizes[slot];
                    results[index] = new ScoredFile(sources[index], width, height, scores[slot], maps.AsSpan(slot * plane, plane).ToArray(), size);
                }
            }
            progress?.Report(new StageProgress("scoring", (double)current.End / sources.Count, $"{current.End}/{sources.Count} images"));
            start = current.End;
        }
        return new ScoringRun(results.Where(r => r is not null).Select(r => r!).ToList(), refused.Where(r => r is not null).Select(r => r!).ToList());
    }
}
