using FunAd.Engine.Imaging;

namespace FunAd.Engine.Synthesis;

/// <summary>A made-up defective image and its pixel mask.</summary>
public sealed record SyntheticAnomaly(RgbImage Image, bool[] Mask)
{
    /// <summary>The mask on a grid x grid patch grid: a patch is anomalous when any of its pixels is (method page, section 4).</summary>
    public float[] GridLabels(int grid)
    {
        var labels = new float[grid * grid];
        for (var y = 0; y < Image.Height; y++)
        for (var x = 0; x < Image.Width; x++)
            if (Mask[y * Image.Width + x])
                labels[y * grid / Image.Height * grid + x * grid / Image.Width] = 1;
        return labels;
    }
}
