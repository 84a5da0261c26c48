namespace FunAd.Jobs.Maintenance;

/// <summary>
/// A catalogue row whose file is not in the data root: the path the row names (relative to the root)
/// and the row, by the image it is about, the run, or both (a heatmap is one run's map of one image).
/// </summary>
public sealed record MissingFile(string Path, long? ImageId = null, int? RunId = null);
