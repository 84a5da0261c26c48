using FunAd.Engine.Backbones;
using FunAd.Engine.Devices;
using static TorchSharp.torch;

namespace FunAd.Engine.Training;

/// <summary>
/// FUN-AD's training data on the device: the rows of every real training image, then those of the
/// synthetic anomalies, as one tensor [images, rows, D], and the synthetic images' known row labels.
/// </summary>
public sealed class TrainingSet : IDisposable
{
    private TrainingSet(Tensor features, Tensor syntheticLabels, int realCount, PatchFeatureLayout layout)
    {
        Features = features;
        SyntheticLabels = syntheticLabels;
        RealCount = realCount;
        Layout = layout;
    }

    /// <summary>[RealCount + SyntheticCount, Rows, Dimension].</summary>
    public Tensor Features { get; }

    /// <summary>[SyntheticCount, Rows], 1 where the synthetic defect covers the patch.</summary>
    public Tensor SyntheticLabels { get; }

    public int RealCount { get; }
    public int SyntheticCount => (int)SyntheticLabels.shape[0];
    public int Count => RealCount + SyntheticCount;
    public PatchFeatureLayout Layout { get; }

    public static TrainingSet Build(IReadOnlyList<ImageFeatures> real, IReadOnlyList<(ImageFeatures Features, float[] Labels)> synthetic,
        PatchFeatureLayout layout, ComputeDevice device)
    {
        var all = layout.Pack([.. real, .. synthetic.Select(s => s.Features)]);
        var labels = synthetic.SelectMany(s => s.Labels).ToArray();
        var features = tensor(all, [real.Count + synthetic.Count, layout.Rows, layout.Dimension], device: device.TorchDevice);
        var syntheticLabels = tensor(labels, [synthetic.Count, layout.Rows], device: device.TorchDevice);
        return new TrainingSet(features, syntheticLabels, real.Count, layout);
    }

    public void Dispose()
    {
        Features.Dispose();
        SyntheticLabels.Dispose();
    }
}
