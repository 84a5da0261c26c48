using System.Globalization;
using System.Text;
using FunAd.Engine.Features;
using FunAd.Engine.Imaging;
using FunAd.Engine.Io;
using FunAd.Engine.Models;
using FunAd.Engine.Scoring;
using FunAd.Engine.Visualization;

namespace FunAd.Engine.Workflows;

/// <summary>The scores written and the images refused.</summary>
public sealed record ScoreResult(IReadOnlyList<ScoredImage> Scores, IReadOnlyList<ImageDecodeException> Refused, float MapMin, float MapMax);

/// <summary>
/// Scores every image under a folder with a trained model and writes the contract's files:
/// scores.csv ("file,score"), and with maps: maps/&lt;file without extension&gt;.npy (float32 H x W at
/// the image's size) and overlays/&lt;file without extension&gt;.png (heatmap over the image, one colour scale for the run).
/// </summary>
public static class ScoreWorkflow
{
    public static ScoreResult Run(EngineContext context, string modelDirectory, IReadOnlyList<ImageSource> images, string outputDirectory, bool writeMaps,
        IProgress<StageProgress>? progress = null, CancellationToken cancellation = default)
    {
        using var model = ModelDirectory.Load(modelDirectory, context.Device);
        var manifest = model.Manifest;
        using var extractor = context.OpenBackboneOf(manifest);
        var features = context.ExtractFeatures(extractor, new FeatureSettings(manifest.CenterCrop), images, progress, cancellation);
        var scores = ModelScorer.Score(model, features.Images, progress, cancellation);

        Directory.CreateDirectory(outputDirectory);
        WriteCsv(Path.Combine(outputDirectory, "scores.csv"), scores);
        float min = 0, max = 0;
        if (writeMaps && DetectionModeParser.Parse(manifest.Mode) == DetectionMode.Defect && scores.Count > 0)
        {
            // One colour scale for the whole run, so overlays can be compared with each other.
            min = scores.Min(s => s.PatchScores.Min());
            max = scores.Max(s => s.PatchScores.Max());
            for (var i = 0; i < scores.Count; i++)
            {
                cancellation.ThrowIfCancellationRequested();
                var scored = scores[i];
                var map = ModelScorer.PixelMap(scored, manifest)!;
                var name = scored.Image.Source.Name;
                var npy = Path.Combine(outputDirectory, "maps", Path.ChangeExtension(name, ".npy"));
                Directory.CreateDirectory(Path.GetDirectoryName(npy)!);
                NpyWriter.WriteFloat32(npy, map, scored.Image.Height, scored.Image.Width);
                var overlay = Path.Combine(outputDirectory, "overlays", Path.ChangeExtension(name, ".png"));
                Directory.CreateDirectory(Path.GetDirectoryName(overlay)!);
                var image = ImageLoader.Load(scored.Image.Source.Path, context.Limits);
                HeatmapOverlay.SavePng(image, map, min, max, overlay);
                progress?.Report(new StageProgress("maps", (i + 1.0) / scores.Count, name));
            }
        }
        return new ScoreResult(scores, features.Refused, min, max);
    }

    private static void WriteCsv(string path, IReadOnlyList<ScoredImage> scores)
    {
        var csv = new StringBuilder("file,score\n");
        foreach (var s in scores)
            csv.Append(CsvField(s.Image.Source.Name)).Append(',').Append(s.Score.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        File.WriteAllText(path, csv.ToString());
    }

    private static string CsvField(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
}
