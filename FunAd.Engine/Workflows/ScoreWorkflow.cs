using System.Globalization;
using System.Text;
using FunAd.Engine.Features;
using FunAd.Engine.Imaging;
using FunAd.Engine.Inference;
using FunAd.Engine.Io;
using FunAd.Engine.Models;
using FunAd.Engine.Scoring;
using FunAd.Engine.Visualization;

namespace FunAd.Engine.Workflows;

/// <summary>The scores written, the images refused, and the colour scale of the overlays.</summary>
public sealed record ScoreResult(IReadOnlyList<ScoredFile> Scores, IReadOnlyList<ImageDecodeException> Refused, float MapMin, float MapMax);

/// <summary>
/// Scores every image under a folder with a trained model, through the same exported ONNX graph a
/// user downloads, and writes the contract's files: scores.csv ("file,score"), and with maps:
/// maps/&lt;file without extension&gt;.npy (float32 H x W at the image's size: the model's map resized
/// bilinearly) and overlays/&lt;file without extension&gt;.png (one colour scale for the run).
/// </summary>
public static class ScoreWorkflow
{
    public static ScoreResult Run(EngineContext context, string modelDirectory, IReadOnlyList<ImageSource> images, string outputDirectory, bool writeMaps,
        IProgress<StageProgress>? progress = null, CancellationToken cancellation = default)
    {
        using var model = ModelDirectory.Load(modelDirectory, context.Device);
        var manifest = model.Manifest;
        using var scorer = OnnxAnomalyScorer.Open(model, context.Device);
        var run = new ScoringPipeline(scorer, new FeatureSettings(manifest.CenterCrop), context.Limits).Run(images, progress, cancellation);

        Directory.CreateDirectory(outputDirectory);
        WriteCsv(Path.Combine(outputDirectory, "scores.csv"), run.Images);
        float min = 0, max = 0;
        if (writeMaps && DetectionModeParser.Parse(manifest.Mode) == DetectionMode.Defect && run.Images.Count > 0)
        {
            // One colour scale for the whole run, so overlays can be compared with each other.
            min = run.Images.Min(s => s.Map.Min());
            max = run.Images.Max(s => s.Map.Max());
            for (var i = 0; i < run.Images.Count; i++)
            {
                cancellation.ThrowIfCancellationRequested();
                var scored = run.Images[i];
                var map = MapAtImageSize(scored);
                var name = scored.Source.Name;
                var npy = Path.Combine(outputDirectory, "maps", Path.ChangeExtension(name, ".npy"));
                Directory.CreateDirectory(Path.GetDirectoryName(npy)!);
                NpyWriter.WriteFloat32(npy, map, scored.Height, scored.Width);
                var overlay = Path.Combine(outputDirectory, "overlays", Path.ChangeExtension(name, ".png"));
                Directory.CreateDirectory(Path.GetDirectoryName(overlay)!);
                HeatmapOverlay.SavePng(ImageLoader.Load(scored.Source.Path, context.Limits), map, min, max, overlay);
                progress?.Report(new StageProgress("maps", (i + 1.0) / run.Images.Count, name));
            }
        }
        return new ScoreResult(run.Images, run.Refused, min, max);
    }

    /// <summary>The model's map (at its input size) resized bilinearly to the image's own size.</summary>
    public static float[] MapAtImageSize(ScoredFile scored) =>
        AnomalyMap.Upsample(scored.Map, scored.MapSize, scored.MapSize, scored.Width, scored.Height);

    private static void WriteCsv(string path, IReadOnlyList<ScoredFile> scores)
    {
        var csv = new StringBuilder("file,score\n");
        foreach (var s in scores)
            csv.Append(CsvText.Field(s.Source.Name)).Append(',').Append(s.Score.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        File.WriteAllText(path, csv.ToString());
    }
}
