namespace FunAd.Jobs.Catalogue;

/// <summary>A reviewer's verdict on an image of a project (the latest one counts; one row per image).</summary>
public sealed class Review
{
    public long Id { get; set; }
    public long ImageId { get; set; }
    public ImageAsset? Image { get; set; }
    public Verdict Verdict { get; set; }
    public string? By { get; set; }
    public DateTimeOffset At { get; set; } = DateTimeOffset.UtcNow;
}
