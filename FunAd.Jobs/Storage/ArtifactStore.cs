namespace FunAd.Jobs.Storage;

/// <summary>
/// Files under the data root: images and masks by content hash, thumbnails, models per run. Every
/// write goes to a temporary name in the same folder and is moved into place, so a crash leaves
/// either the whole file or none (plus a temporary file the start-up check removes).
/// </summary>
public sealed class ArtifactStore
{
    public const string TemporarySuffix = ".partial";

    public ArtifactStore(string dataRoot)
    {
        Root = Path.GetFullPath(dataRoot);
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    /// <summary>Where a project's image with this hash and extension lives, relative to the root.</summary>
    public static string ImagePath(int projectId, string hash, string extension) =>
        $"{ProjectFolder(projectId)}/images/{hash[..2]}/{hash}{extension.ToLowerInvariant()}";

    public static string MaskPath(int projectId, string hash) => $"{ProjectFolder(projectId)}/masks/{hash[..2]}/{hash}.png";

    public static string ThumbnailPath(int projectId, string hash) => $"{ProjectFolder(projectId)}/thumbnails/{hash[..2]}/{hash}.jpg";

    /// <summary>Everything of a project lives in this folder: its images, masks, thumbnails and runs.</summary>
    public static string ProjectFolder(int projectId) => $"projects/{projectId}";

    /// <summary>Everything a run writes lives in this folder: the model, its ONNX export and the heatmaps.</summary>
    public static string RunFolder(int projectId, int runId) => $"{ProjectFolder(projectId)}/runs/{runId}";

    /// <summary>The trained model's folder (checkpoints, manifest, bank), relative to the root.</summary>
    public static string RunModelFolder(int projectId, int runId) => $"{RunFolder(projectId, runId)}/model";

    /// <summary>The run's model exported as one ONNX file, relative to the root.</summary>
    public static string RunOnnxFile(int projectId, int runId) => $"{RunFolder(projectId, runId)}/model.onnx";

    /// <summary>The stored heatmap of one image scored by the run, relative to the root.</summary>
    public static string RunHeatmap(int projectId, int runId, long imageId) => $"{RunFolder(projectId, runId)}/heatmaps/{imageId}.png";

    /// <summary>The map values beside a heatmap PNG (<see cref="FunAd.Engine.Visualization.HeatmapValues"/>): what the image viewer colours itself.</summary>
    public static string HeatmapValuesBeside(string heatmapPath) => Path.ChangeExtension(heatmapPath, ".values");

    /// <summary>The feature cache shared by every run (features depend on the image and the backbone only).</summary>
    public string FeatureCacheFolder => Path.Combine(Root, "features");

    /// <summary>The absolute path of a stored file; refuses paths that would leave the root.</summary>
    public string Resolve(string relativePath)
    {
        var full = Path.GetFullPath(Path.Combine(Root, relativePath));
        if (!full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArgumentException($"{relativePath}: path leaves the data root.");
        return full;
    }

    public bool Exists(string relativePath) => File.Exists(Resolve(relativePath));

    /// <summary>Writes the bytes under a temporary name, flushes them to disk, then moves them into place.</summary>
    public void WriteAtomically(string relativePath, ReadOnlySpan<byte> bytes)
    {
        var target = Resolve(relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temporary = target + "." + Guid.NewGuid().ToString("N")[..8] + TemporarySuffix;
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, target, overwrite: true);
        }
        catch
        {
            // A full disk must not leave the partial copy behind until the next start-up.
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>Deletes a stored file if it is there.</summary>
    public void Delete(string relativePath)
    {
        var full = Resolve(relativePath);
        if (File.Exists(full)) File.Delete(full);
    }

    /// <summary>Temporary files left by writes that never finished (a killed process).</summary>
    public IEnumerable<string> FindTemporaryFiles() =>
        Directory.Exists(Root)
            ? Directory.EnumerateFiles(Root, "*" + TemporarySuffix, SearchOption.AllDirectories)
            : [];
}
