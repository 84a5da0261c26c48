using FunAd.Engine.Imaging;

namespace FunAd.Jobs.Uploads;

/// <summary>What a file is taken for from its name, before any of its bytes are read.</summary>
internal static class UploadFileTypes
{
    public const string ZipExtension = ".zip";

    /// <summary>Archive formats that are not opened (only zip is); named so the reason can say so.</summary>
    private static readonly string[] OtherArchiveExtensions = [".tar", ".gz", ".tgz", ".bz2", ".xz", ".zst", ".7z", ".rar"];

    public static bool IsZip(string extension) => extension == ZipExtension;

    public static bool IsOtherArchive(string extension) => OtherArchiveExtensions.Contains(extension);

    public static bool IsImage(string extension) => ImageLoader.SupportedExtensions.Contains(extension);

    /// <summary>
    /// The resource forks macOS puts in zips it makes (__MACOSX/…/._name.png): they carry image
    /// extensions but are not images.
    /// </summary>
    public static bool IsMacMetadata(string path) =>
        path.Split('/') is var segments && (segments.Contains("__MACOSX") || segments[^1].StartsWith("._", StringComparison.Ordinal));

    /// <summary>The reason a file that is neither a zip nor a supported image is refused.</summary>
    public static string NotAnImageReason(string extension) => extension.Length == 0
        ? $"not an image: the name has no extension ({SupportedList})"
        : $"not an image: '{extension}' files are not supported ({SupportedList})";

    private static string SupportedList => string.Join(", ", ImageLoader.SupportedExtensions) + ", or " + ZipExtension + " archives";
}
