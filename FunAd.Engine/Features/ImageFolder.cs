using FunAd.Engine.Imaging;
using FunAd.Engine.Io;

namespace FunAd.Engine.Features;

/// <summary>
/// Finds the images under a folder, recursively, in a stable order, named by their '/'-separated
/// relative path. Only plain files and folders are read: a link (which could lead out of the folder,
/// or round in a loop) or a FIFO or device named like an image (which would block or never end) is
/// skipped with its reason. The folder named itself may be a link.
/// </summary>
public static class ImageFolder
{
    public static IReadOnlyList<ImageSource> Scan(string directory) => Scan(directory, skipped: null);

    /// <param name="skipped">Receives "relative/path: reason" for every entry left out because it is not a plain file or folder.</param>
    public static IReadOnlyList<ImageSource> Scan(string directory, ICollection<string>? skipped)
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"{directory}: folder not found.");
        var root = Path.GetFullPath(directory);
        var found = new List<ImageSource>();
        Walk(root, root, found, skipped);
        return found.OrderBy(source => source.Name, StringComparer.Ordinal).ToList();
    }

    private static void Walk(string root, string folder, List<ImageSource> found, ICollection<string>? skipped)
    {
        IEnumerable<string> entries;
        try
        {
            entries = Directory.EnumerateFileSystemEntries(folder).ToList();
        }
        catch (UnauthorizedAccessException)
        {
            skipped?.Add($"{Relative(root, folder)}: not readable");
            return;
        }
        foreach (var path in entries)
        {
            var kind = FileKinds.Of(path);
            if (kind == FileKind.Directory)
            {
                Walk(root, path, found, skipped);
                continue;
            }
            if (!ImageLoader.SupportedExtensions.Contains(Path.GetExtension(path).ToLowerInvariant()) && kind != FileKind.Link) continue;
            switch (kind)
            {
                case FileKind.Regular:
                    found.Add(new ImageSource(Relative(root, path), path));
                    break;
                case FileKind.Link:
                    skipped?.Add($"{Relative(root, path)}: {FileKinds.DescribeLink(path)}, not followed");
                    break;
                case FileKind.Special:
                    skipped?.Add($"{Relative(root, path)}: not a plain file (a FIFO, socket or device)");
                    break;
            }
        }
    }

    private static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');
}
