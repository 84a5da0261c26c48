using FunAd.Jobs.Catalogue;

namespace FunAd.Web.Components.Shared;

/// <summary>How an image's uploaded label reads on screen, in every tile and in the image view.</summary>
public static class ImageLabels
{
    /// <summary>"good", the defect type, or "defective" for a defect without a type; null when the image has no label.</summary>
    public static string? Describe(ImageLabel label, string? defectType) => label switch
    {
        ImageLabel.Unlabeled => null,
        ImageLabel.Anomalous => defectType ?? "defective",
        _ => "good",
    };
}
