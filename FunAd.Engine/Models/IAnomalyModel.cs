using FunAd.Engine.Backbones;

namespace FunAd.Engine.Models;

/// <summary>A trained model: features of one image in, anomaly scores out (one per patch in defect mode, one per image in semantic mode).</summary>
public interface IAnomalyModel : IDisposable
{
    ModelManifest Manifest { get; }

    float[] ScorePatches(ImageFeatures features);
}
