namespace FunAd.Web.Hosting;

/// <summary>The content type of an image file by its extension, for downloads and data URLs.</summary>
public static class ImageContentTypes
{
    public static string Of(string name, string otherwise = "application/octet-stream") => Path.GetExtension(name).ToLowerInvariant() switch
    {
        ".png" => "image/png",
        ".jpg" or ".jpeg" => "image/jpeg",
        ".bmp" => "image/bmp",
        ".gif" => "image/gif",
        ".tif" or ".tiff" => "image/tiff",
        ".webp" => "image/webp",
        _ => otherwise,
    };
}
