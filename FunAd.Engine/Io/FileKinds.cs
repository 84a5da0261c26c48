using System.Runtime.InteropServices;

namespace FunAd.Engine.Io;

/// <summary>What a path is, read without following a link.</summary>
public enum FileKind
{
    Missing,
    Regular,
    Directory,
    /// <summary>A symbolic link (or, on Windows, any reparse point), whatever it points at.</summary>
    Link,
    /// <summary>A FIFO, socket or device: opening one can block forever or read without end.</summary>
    Special,
}

/// <summary>
/// The type of a file system entry, from lstat. .NET's FileInfo says "Normal" for a FIFO or a device,
/// so on Unix this asks the runtime's own native shim (libSystem.Native, present in every .NET
/// install) for the file mode, as FileInfo does internally.
/// </summary>
public static unsafe class FileKinds
{
    private const int TypeMask = 0xF000, Fifo = 0x1000, CharDevice = 0x2000, Directory = 0x4000, BlockDevice = 0x6000, RegularFile = 0x8000, SymbolicLink = 0xA000, Socket = 0xC000;

    public static FileKind Of(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            var info = new FileInfo(path);
            if (!info.Exists && !System.IO.Directory.Exists(path)) return FileKind.Missing;
            var attributes = File.GetAttributes(path);
            if (attributes.HasFlag(FileAttributes.ReparsePoint)) return FileKind.Link;
            return attributes.HasFlag(FileAttributes.Directory) ? FileKind.Directory : attributes.HasFlag(FileAttributes.Device) ? FileKind.Special : FileKind.Regular;
        }
        // The runtime's FileStatus struct is about 120 bytes; the mode is its second int on every platform.
        var status = stackalloc byte[512];
        if (LStat(path, status) != 0) return FileKind.Missing;
        return (*(int*)(status + 4) & TypeMask) switch
        {
            RegularFile => FileKind.Regular,
            Directory => FileKind.Directory,
            SymbolicLink => FileKind.Link,
            Fifo or CharDevice or BlockDevice or Socket => FileKind.Special,
            _ => FileKind.Special,
        };
    }

    /// <summary>
    /// Throws unless <paramref name="path"/> is a regular file reached from <paramref name="root"/> through
    /// folders only: no link at any step (a link to a key file, a loop) and no FIFO or device.
    /// </summary>
    /// <exception cref="InvalidDataException">The path, or a folder on the way, is a link or not a plain file.</exception>
    public static void RequirePlainFileUnder(string root, string path)
    {
        var full = Path.GetFullPath(path);
        var top = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar);
        if (!full.StartsWith(top + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new InvalidDataException($"{path}: outside {root}.");
        var step = top;
        foreach (var part in full[(top.Length + 1)..].Split(Path.DirectorySeparatorChar))
        {
            step = Path.Combine(step, part);
            var kind = Of(step);
            var last = step.Length == full.Length;
            if (kind == FileKind.Link) throw new InvalidDataException($"{step}: {DescribeLink(step)}; only plain files and folders are read.");
            if (kind == FileKind.Missing) throw new FileNotFoundException($"{step}: not found.", step);
            if (last && kind != FileKind.Regular) throw new InvalidDataException($"{step}: not a plain file ({(kind == FileKind.Directory ? "a folder" : "a FIFO, socket or device")}).");
            if (!last && kind != FileKind.Directory) throw new InvalidDataException($"{step}: not a folder.");
        }
    }

    /// <summary>"a link to TARGET" (or "a link" when the target cannot be read), for messages that name what was refused.</summary>
    public static string DescribeLink(string link) => new FileInfo(link).LinkTarget is { } target ? $"a link to {target}" : "a link";

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_LStat", SetLastError = true)]
    private static extern int LStat(string path, byte* status);
}
