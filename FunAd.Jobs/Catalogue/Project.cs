namespace FunAd.Jobs.Catalogue;

/// <summary>A body of images of one product, trained on and reviewed together.</summary>
public sealed class Project
{
    public int Id { get; set; }
    public required string Name { get; set; }
    /// <summary>"defect" (patch scores and maps) or "semantic" (one score per image).</summary>
    public required string Mode { get; set; }
    /// <summary>"resnet18" or the path of a token-contract ONNX backbone.</summary>
    public required string Backbone { get; set; }
    /// <summary>The side of the square the backbone sees (224 for the built-in one).</summary>
    public int InputSize { get; set; } = 224;
    public bool Archived { get; set; }
    public string? CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;

    public List<ImageAsset> Images { get; set; } = [];
    public List<TrainingRun> Runs { get; set; } = [];
}
