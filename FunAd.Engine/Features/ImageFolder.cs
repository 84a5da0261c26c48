using FunAd.Engine.Imaging;

namespace FunAd.Engine.Features;

/// <summary>Finds the images under a folder, recursively, in a stable order, named by their '/'-separated relative path.</summary>
public static class ImageFolder
{
    public static IReadOnlyList<ImageSource> Scan(string directory)
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"{directory}: folder not found.");
        var root = Path.GetFullPath(directory);
        return Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true })
            .Where(path => ImageLoader.SupportedExtensions.Contains(Path.GetExtension(path).ToLowerInvariant()))
            .Select(path => new ImageSource(Path.GetRelativePath(root, path).Replace('\\', '/'), path))
            .OrderBy(source => source.Name, StringComparer.Ordinal)
            .ToList();
    }
}
