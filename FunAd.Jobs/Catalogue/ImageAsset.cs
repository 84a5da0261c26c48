namespace FunAd.Jobs.Catalogue;

/// <summary>One accepted image of a project: its content lives in the artifact store under its hash.</summary>
public sealed class ImageAsset
{
    public long Id { get; set; }
    public int ProjectId { get; set; }
    public Project? Project { get; set; }
    /// <summary>SHA-256 of the file's bytes, lower-case hex; unique within a project.</summary>
    public required string ContentHash { get; set; }
    /// <summary>The name as uploaded ('/'-separated path inside a folder or archive).</summary>
    public required string OriginalName { get; set; }
    /// <summary>Path of the file relative to the data root.</summary>
    public required string StoredPath { get; set; }
    public long SizeBytes { get; set; }
    public int Width { get; set; }
    public int Height { get; set; }
    public ImageLabel Label { get; set; }
    /// <summary>The defect folder's name for anomalous images of an MVTec-style upload.</summary>
    public string? DefectType { get; set; }
    /// <summary>Path of the ground-truth mask relative to the data root, when one was uploaded.</summary>
    public string? MaskPath { get; set; }
    /// <summary>A reviewer left this image out of training (a defect they know of, a wrong shot); it is still scored.</summary>
    public bool LeftOutOfTraining { get; set; }
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
}
