namespace FunAd.Jobs.Catalogue;

/// <summary>The words for <see cref="ImageLabel"/>: the API's filters and the project page's chips, and how a label reads on screen.</summary>
public static class ImageLabels
{
    /// <summary>"good", the defect type, or "defective" for a defect without a type; null when the image has no label. Every tile and the image view read it so.</summary>
    public static string? Describe(ImageLabel label, string? defectType) => label switch
    {
        ImageLabel.Unlabeled => null,
        ImageLabel.Anomalous => defectType ?? "defective",
        _ => "good",
    };

    /// <summary>null for "all" (or nothing); throws ArgumentException naming the words for anything else.</summary>
    public static ImageLabel? ParseFilter(string? label) => label?.Trim().ToLowerInvariant() is null or "" or "all" ? null : Parse(label);

    /// <summary>A label in the API's words (unlabeled, normal, anomalous); throws ArgumentException naming them for anything else.</summary>
    public static ImageLabel Parse(string label) => label.Trim().ToLowerInvariant() switch
    {
        "unlabeled" => ImageLabel.Unlabeled,
        "normal" => ImageLabel.Normal,
        "anomalous" => ImageLabel.Anomalous,
        _ => throw new ArgumentException($"Unknown label '{label}': use unlabeled, normal or anomalous."),
    };
}
