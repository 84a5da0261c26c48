using FunAd.Engine.Backbones;
using FunAd.Engine.Models;

namespace FunAd.Engine.Training;

/// <summary>
/// How FUN-AD turns a backbone's output into the rows it learns on. Defect mode: one row per patch,
/// concat(global feature, patch feature) as the paper's concat(class token, patch token), or the patch
/// feature alone. Semantic mode: one row per image, the global feature.
/// </summary>
public sealed record PatchFeatureLayout(DetectionMode Mode, bool ConcatGlobal, int Grid, int PatchDim, int GlobalDim)
{
    public int Rows => Mode == DetectionMode.Defect ? Grid * Grid : 1;

    public int Dimension => Mode == DetectionMode.Semantic ? GlobalDim : ConcatGlobal ? GlobalDim + PatchDim : PatchDim;

    /// <summary>Writes one image's rows (Rows x Dimension, row-major) into <paramref name="destination"/>.</summary>
    public void Write(ImageFeatures features, Span<float> destination)
    {
        if (Mode == DetectionMode.Semantic)
        {
            features.Global.CopyTo(destination);
            return;
        }
        for (var p = 0; p < Rows; p++)
        {
            var row = destination.Slice(p * Dimension, Dimension);
            var patch = features.Patches.AsSpan(p * PatchDim, PatchDim);
            if (ConcatGlobal)
            {
                features.Global.CopyTo(row);
                patch.CopyTo(row[GlobalDim..]);
            }
            else
            {
                patch.CopyTo(row);
            }
        }
    }

    /// <summary>The rows of the images one after the other: [images, Rows, Dimension], row-major.</summary>
    public float[] Pack(IReadOnlyList<ImageFeatures> images)
    {
        var length = Rows * Dimension;
        var result = new float[(long)images.Count * length];
        for (var i = 0; i < images.Count; i++) Write(images[i], result.AsSpan(i * length, length));
        return result;
    }
}
