using FunAd.Engine.Backbones;
using FunAd.Engine.Features;
using FunAd.Engine.Imaging;

namespace FunAd.Engine.Synthesis;

/// <summary>
/// Makes the synthetic anomalies of a training run from its own images, at the backbone's input
/// size, and extracts their features with their patch-grid labels.
/// </summary>
public static class SyntheticFeatureMaker
{
    public static IReadOnlyList<(ImageFeatures Features, float[] Labels)> Make(IReadOnlyList<ExtractedImage> images, int count, IFeatureExtractor extractor,
        FeatureSettings settings, DecodeLimits limits, int seed, CancellationToken cancellation)
    {
        if (count <= 0 || images.Count < 2) return [];
        var random = new Random(unchecked(seed * 31 + 17));
        var size = extractor.Info.InputSize;
        var length = 3 * size * size;
        var result = new List<(ImageFeatures, float[])>(count);
        for (var start = 0; start < count; start += extractor.PreferredBatchSize)
        {
            cancellation.ThrowIfCancellationRequested();
            var n = Math.Min(extractor.PreferredBatchSize, count - start);
            var batch = new float[n * length];
            var labels = new float[n][];
            for (var i = 0; i < n; i++)
            {
                var target = random.Next(images.Count);
                var source = (target + 1 + random.Next(images.Count - 1)) % images.Count;
                var anomaly = SyntheticAnomalyMaker.Make(AtInputSize(images[target], size, settings, limits), AtInputSize(images[source], size, settings, limits), random);
                ImageResizer.ToChw(anomaly.Image, size, false, batch.AsSpan(i * length, length));
                labels[i] = anomaly.GridLabels(extractor.Info.Grid);
            }
            var features = extractor.Extract(batch, n);
            for (var i = 0; i < n; i++) result.Add((features[i], labels[i]));
        }
        return result;
    }

    /// <summary>The image as the backbone sees it (resized, cropped as the run is), back in 8-bit RGB.</summary>
    private static RgbImage AtInputSize(ExtractedImage image, int size, FeatureSettings settings, DecodeLimits limits)
    {
        var chw = ImageResizer.ToChw(ImageLoader.Load(image.Source.Path, limits), size, settings.CenterCrop);
        var plane = size * size;
        var pixels = new byte[3 * plane];
        for (var i = 0; i < plane; i++)
            for (var c = 0; c < 3; c++)
                pixels[i * 3 + c] = (byte)Math.Round(Math.Clamp(chw[c * plane + i], 0, 1) * 255);
        return new RgbImage(size, size, pixels);
    }
}
