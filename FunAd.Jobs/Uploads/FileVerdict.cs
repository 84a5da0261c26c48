using FunAd.Jobs.Catalogue;

namespace FunAd.Jobs.Uploads;

/// <summary>
/// The verdict on one uploaded file or archive entry (named <c>archive.zip/path/in/archive.png</c>).
/// </summary>
/// <param name="Outcome">One of <see cref="UploadOutcome"/>'s words.</param>
/// <param name="Reason">Why it was refused, or what it duplicates; null when accepted.</param>
/// <param name="ImageId">The image it became, duplicates or (for a mask) was attached to.</param>
/// <param name="Label">The ground truth read from its folders (MVTec layout), for evaluation only.</param>
/// <param name="HasMask">An image that got a ground-truth mask in this upload, or an attached mask.</param>
/// <param name="IsMask">A ground-truth mask (ground_truth/&lt;defect&gt;/&lt;name&gt;_mask.png), not an image of the set.</param>
public sealed record FileVerdict(
    string Name,
    string Outcome,
    string? Reason,
    long? ImageId,
    ImageLabel Label,
    string? DefectType,
    bool HasMask,
    bool IsMask = false);
