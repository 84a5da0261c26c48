namespace FunAd.Jobs.Projects;

/// <summary>The orders a project's images can be listed in.</summary>
public enum ImageOrder
{
    /// <summary>Oldest upload first (the images' ids).</summary>
    Uploaded,
    Newest,
    /// <summary>By the name as uploaded (folder and file), ordinal.</summary>
    Name,
}

public static class ImageOrders
{
    /// <summary>"uploaded" (or nothing), "newest" or "name"; throws ArgumentException naming them for anything else.</summary>
    public static ImageOrder Parse(string? order) => order?.Trim().ToLowerInvariant() switch
    {
        null or "" or "uploaded" => ImageOrder.Uploaded,
        "newest" => ImageOrder.Newest,
        "name" => ImageOrder.Name,
        _ => throw new ArgumentException($"Unknown order '{order}': use uploaded, newest or name."),
    };
}
