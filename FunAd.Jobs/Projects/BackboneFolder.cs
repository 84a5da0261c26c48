using FunAd.Engine.Backbones;
using FunAd.Engine.Io;

namespace FunAd.Jobs.Projects;

/// <summary>
/// Where the app may load a project's backbone from: the built-in one, or an .onnx file placed by the
/// server's operator in <c>backbones/</c> under the data root. A project names such a file by its name
/// only; any other path is refused, so an editor can neither probe the server's file system nor make
/// the server load an arbitrary file (links out of the folder are refused too).
/// </summary>
public sealed class BackboneFolder(string dataRoot)
{
    public const string FolderName = "backbones";

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetFullPath(dataRoot), FolderName);

    /// <summary>The backbones a project may choose: the built-in one first, then the folder's plain .onnx files by name.</summary>
    public IReadOnlyList<string> List()
    {
        var files = Directory.Exists(Path)
            ? Directory.EnumerateFiles(Path, "*.onnx").Where(f => FileKinds.Of(f) == FileKind.Regular).Select(System.IO.Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)
            : Enumerable.Empty<string>();
        return [BackboneCatalog.Default, .. files];
    }

    /// <summary>The name a project stores: "resnet18" or the file name of an .onnx file in the folder.</summary>
    /// <exception cref="ArgumentException">Anything else, with what is allowed.</exception>
    public string Check(string? spec)
    {
        var name = string.IsNullOrWhiteSpace(spec) ? BackboneCatalog.Default : spec.Trim();
        if (string.Equals(name, BackboneCatalog.Default, StringComparison.OrdinalIgnoreCase)) return BackboneCatalog.Default;
        Resolve(name);
        return name;
    }

    /// <summary>What the engine loads for a project's backbone: the built-in name or the file's full path.</summary>
    /// <exception cref="ArgumentException">The name is not a plain .onnx file of the folder.</exception>
    public string Resolve(string spec)
    {
        if (string.Equals(spec, BackboneCatalog.Default, StringComparison.OrdinalIgnoreCase)) return BackboneCatalog.Default;
        // Catalogues from before this rule stored full paths; one inside the folder still resolves.
        var name = System.IO.Path.IsPathRooted(spec) && System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(spec)) == Path
            ? System.IO.Path.GetFileName(spec)
            : spec;
        if (name.IndexOfAny(['/', '\\']) >= 0 || name is "." or ".." || !name.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) || name.Any(char.IsControl))
            throw new ArgumentException($"Backbone '{spec}': use {BackboneCatalog.Default} or the file name of a token-contract .onnx file that the server's operator put in {Path}.");
        var full = System.IO.Path.Combine(Path, name);
        if (FileKinds.Of(full) == FileKind.Missing)
            throw new ArgumentException($"Backbone '{name}': there is no such file in {Path} (the server's operator puts backbone files there).");
        try
        {
            FileKinds.RequirePlainFileUnder(Path, full);
        }
        catch (Exception e) when (e is InvalidDataException or FileNotFoundException)
        {
            throw new ArgumentException($"Backbone '{name}': {e.Message}");
        }
        return full;
    }
}
