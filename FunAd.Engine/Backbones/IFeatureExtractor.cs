namespace FunAd.Engine.Backbones;

/// <summary>A frozen pretrained backbone: resized images in, patch and global features out.</summary>
public interface IFeatureExtractor : IDisposable
{
    BackboneInfo Info { get; }

    /// <summary>Number of images per forward pass that keeps the device busy without wasting memory.</summary>
    int PreferredBatchSize { get; }

    /// <summary>
    /// <paramref name="batch"/> holds <paramref name="count"/> images as float CHW RGB in 0..1, each
    /// InputSize x InputSize, one after the other.
    /// </summary>
    IReadOnlyList<ImageFeatures> Extract(float[] batch, int count);
}
