using System.Diagnostics;

namespace FunAd.Tests.Reliability;

/// <summary>
/// A data root on its own small tmpfs, which a test can fill or turn read-only under the running
/// app. Needs root (mount); CI runs as root and sets FUNAD_REQUIRE_MOUNT=1, so there a missing
/// capability is a failure, not a skip.
/// </summary>
public sealed class MountedDataRoot : IDisposable
{
    public MountedDataRoot(int megabytes)
    {
        Path = Directory.CreateTempSubdirectory("funad-mount-").FullName;
        Run("mount", "-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", Path);
    }

    public string Path { get; }

    /// <summary>
    /// Turns a folder under the data root read-only (a read-only bind mount over itself), as a
    /// remounted or failing file system would: remounting the whole root is refused while the
    /// catalogue's files are open for writing.
    /// </summary>
    public void ReadOnly(string folder)
    {
        var path = System.IO.Path.Combine(Path, folder);
        Run("mount", "--bind", path, path);
        Run("mount", "-o", "remount,ro,bind", path);
    }

    public void ReadWrite(string folder) => Run("umount", System.IO.Path.Combine(Path, folder));

    /// <summary>
    /// Fills the file system up to <paramref name="leaveBytes"/> free with one file, which <see cref="Unfill"/>
    /// removes, and keeps it full for <paramref name="holdFor"/>: a running app that replaces a file (written by
    /// temporary name, then renamed over the old one) frees the old file's space at each rename, and the filler
    /// takes that space too, so the app's next write finds the disk full.
    /// </summary>
    public void Fill(long leaveBytes, TimeSpan holdFor = default)
    {
        using var filler = new FileStream(FillerPath, FileMode.Create, FileAccess.Write);
        var block = new byte[1 << 20];
        var until = DateTime.UtcNow + holdFor;
        do
        {
            TopUp(filler, block, leaveBytes);
            if (DateTime.UtcNow < until) Thread.Sleep(50);
        }
        while (DateTime.UtcNow < until);
    }

    private void TopUp(FileStream filler, byte[] block, long leaveBytes)
    {
        var left = new DriveInfo(Path).AvailableFreeSpace - leaveBytes;
        try
        {
            while (left > 0)
            {
                var n = (int)Math.Min(block.Length, left);
                filler.Write(block, 0, n);
                left -= n;
            }
            filler.Flush(flushToDisk: true);
        }
        catch (IOException)
        {
            // Full already: that is what was asked for.
        }
    }

    public void Unfill() => File.Delete(FillerPath);

    private string FillerPath => System.IO.Path.Combine(Path, "filler.bin");

    /// <summary>Why mounted tests cannot run here, or null when they can.</summary>
    public static string? Unavailable { get; } = Probe();

    public static bool Required => Environment.GetEnvironmentVariable("FUNAD_REQUIRE_MOUNT") == "1";

    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux()) return "needs Linux";
        if (Environment.UserName != "root") return "needs root to mount a tmpfs";
        try
        {
            using var probe = new MountedDataRoot(1);
            return null;
        }
        catch (Exception e)
        {
            return $"cannot mount a tmpfs here ({e.Message})";
        }
    }

    private static void Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', arguments)}: {error.Trim()}");
    }

    public void Dispose()
    {
        try
        {
            Run("umount", "-l", Path);
            Directory.Delete(Path);
        }
        catch (Exception)
        {
            // Best effort: a leftover empty mount point in /tmp harms nothing.
        }
    }
}

/// <summary>A test on a mounted data root: skipped with the reason where mounting is impossible, unless FUNAD_REQUIRE_MOUNT=1.</summary>
public sealed class MountFactAttribute : FactAttribute
{
    public MountFactAttribute()
    {
        if (MountedDataRoot.Unavailable is { } why && !MountedDataRoot.Required) Skip = $"Mounted data root tests skipped: {why}.";
    }
}
