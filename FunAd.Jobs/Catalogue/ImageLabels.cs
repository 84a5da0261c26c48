namespace FunAd.Jobs.Catalogue;

/// <summary>The words for <see cref="ImageLabel"/> that the API's filters and the project page's chips use.</summary>
public static class ImageLabels
{
    /// <summary>null for "all" (or nothing); throws ArgumentException naming the words for anything else.</summary>
    public static ImageLabel? ParseFilter(string? label) => label?.Trim().ToLowerInvariant() switch
    {
        null or "" or "all" => null,
        "unlabeled" => ImageLabel.Unlabeled,
        "normal" => ImageLabel.Normal,
        "anomalous" => ImageLabel.Anomalous,
        _ => throw new ArgumentException($"Unknown label '{label}': use unlabeled, normal or anomalous."),
    };
}
