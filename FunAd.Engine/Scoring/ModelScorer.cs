using FunAd.Engine.Features;
using FunAd.Engine.Models;

namespace FunAd.Engine.Scoring;

/// <summary>Applies a trained model to extracted images and renders their pixel maps.</summary>
public static class ModelScorer
{
    public static IReadOnlyList<ScoredImage> Score(IAnomalyModel model, IReadOnlyList<ExtractedImage> images,
        IProgress<StageProgress>? progress = null, CancellationToken cancellation = default)
    {
        var result = new ScoredImage[images.Count];
        for (var i = 0; i < images.Count; i++)
        {
            cancellation.ThrowIfCancellationRequested();
            var patchScores = model.ScorePatches(images[i].Features);
            result[i] = new ScoredImage(images[i], patchScores.Max(), patchScores);
            progress?.Report(new StageProgress("scoring", (i + 1.0) / images.Count, images[i].Source.Name));
        }
        return result;
    }

    /// <summary>The pixel map at the image's own size, or null in semantic mode (one score per image, no map).</summary>
    public static float[]? PixelMap(ScoredImage scored, ModelManifest manifest) =>
        DetectionModeParser.Parse(manifest.Mode) == DetectionMode.Defect
            ? AnomalyMap.Render(scored.PatchScores, manifest.Backbone.Grid, scored.Image.Width, scored.Image.Height)
            : null;
}
