using FunAd.Engine.Features;
using FunAd.Engine.Imaging;
using FunAd.Engine.Models;

namespace FunAd.Engine.Inference;

/// <summary>The scores of a run and the files refused with their reasons.</summary>
public sealed record ScoringRun(IReadOnlyList<ScoredFile> Images, IReadOnlyList<ImageDecodeException> Refused);

/// <summary>
/// Files in, scores and maps out, through the exported model: decodes and resizes a batch on every
/// core, scores it, and hands each image to the caller straight from the reused batch buffers. With a
/// memory-bank model that knows its training images, a file whose bytes are a training image's is
/// scored without that image's own bank rows (<see cref="OnnxAnomalyScorer.KnowsTrainingImages"/>).
/// </summary>
public sealed class ScoringPipeline(OnnxAnomalyScorer scorer, FeatureSettings settings, DecodeLimits limits)
{
    /// <summary>Scores every source and keeps every map (each copied out of the batch buffers).</summary>
    public ScoringRun Run(IReadOnlyList<ImageSource> sources, IProgress<StageProgress>? progress = null, CancellationToken cancellation = default)
    {
        var images = new List<ScoredFile>(sources.Count);
        var refused = Stream(sources, (in ScoredImageView image) => images.Add(image.ToScoredFile()), progress, cancellation);
        return new ScoringRun(images, refused);
    }

    /// <summary>
    /// Scores every source, handing each image to <paramref name="onScored"/> in input order with its map
    /// in the batch buffer (no per-image allocation here); returns the files refused with their reasons.
    /// </summary>
    public IReadOnlyList<ImageDecodeException> Stream(IReadOnlyList<ImageSource> sources, ScoredImageHandler onScored,
        IProgress<StageProgress>? progress = null, CancellationToken cancellation = default)
    {
        var size = scorer.InputSize;
        var plane = size * size;
        var batchSize = scorer.PreferredBatchSize;
        var decoder = new ImageBatchDecoder(sources, size, batchSize, settings.CenterCrop, limits, hashContent: scorer.KnowsTrainingImages);
        var trainingImages = new int[batchSize];
        var refused = new List<ImageDecodeException>();
        var scores = new float[batchSize];
        var maps = new float[batchSize * plane];

        // Batches are decoded on every core, then scored on every core, one after the other. Decoding
        // the next batch beside the scoring looked free, but ONNX Runtime splits each operator across
        // all cores and waits for its slowest part: a decoding thread taking one core stalled the whole
        // batch (measured: 0.75 of the bare backbone from files with the overlap; decoding on
        // lowest-priority threads beside it measured no better than this, docs/benchmarks.md).
        for (var start = 0; start < sources.Count; start += batchSize)
        {
            cancellation.ThrowIfCancellationRequested();
            var end = Math.Min(start + batchSize, sources.Count);
            var count = decoder.Decode(start, end, refused.Add, cancellation);
            if (count > 0)
            {
                if (scorer.KnowsTrainingImages)
                    for (var slot = 0; slot < count; slot++) trainingImages[slot] = scorer.TrainingImageOf(decoder.Hashes[slot]);
                scorer.Score(decoder.Buffer, count, scores, maps, scorer.KnowsTrainingImages ? trainingImages : default);
                for (var slot = 0; slot < count; slot++)
                {
                    var (width, height) = decoder.Sizes[slot];
                    onScored(new ScoredImageView(sources[decoder.Indices[slot]], width, height, scores[slot], maps.AsSpan(slot * plane, plane), size,
                        scorer.KnowsTrainingImages && trainingImages[slot] >= 0));
                }
            }
            progress?.Report(new StageProgress(Stages.Scoring, (double)end / sources.Count, $"{end}/{sources.Count} images"));
        }
        return refused;
    }
}
