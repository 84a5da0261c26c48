namespace FunAd.Engine.Backbones;

/// <summary>
/// The features of one image: <see cref="Patches"/> holds P rows of D values (row-major, patch
/// index = y * Grid + x); <see cref="Global"/> holds the image-level feature.
/// </summary>
public sealed class ImageFeatures(float[] patches, float[] global)
{
    public float[] Patches { get; } = patches;
    public float[] Global { get; } = global;
}
