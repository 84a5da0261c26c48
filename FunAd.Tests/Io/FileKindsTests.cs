using System.Diagnostics;
using FunAd.Engine.Features;
using FunAd.Engine.Io;
using FunAd.Tests.Support;

namespace FunAd.Tests.Io;

/// <summary>Links, loops and FIFOs in an image folder: read without following links, never opened, each reported.</summary>
public sealed class FileKindsTests
{
    [Fact]
    public void Tells_files_folders_links_and_fifos_apart_without_following_links()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllBytes(folder.Combine("a.png"), [1]);
        File.CreateSymbolicLink(folder.Combine("link.png"), "/etc/passwd");
        MakeFifo(folder.Combine("pipe.png"));

        Assert.Equal(FileKind.Regular, FileKinds.Of(folder.Combine("a.png")));
        Assert.Equal(FileKind.Directory, FileKinds.Of(folder.Path));
        Assert.Equal(FileKind.Link, FileKinds.Of(folder.Combine("link.png")));
        Assert.Equal(FileKind.Special, FileKinds.Of(folder.Combine("pipe.png")));
        Assert.Equal(FileKind.Missing, FileKinds.Of(folder.Combine("none.png")));
    }

    [Fact]
    public void An_image_folder_scan_skips_links_loops_and_fifos_and_says_why()
    {
        using var folder = new TemporaryFolder();
        Directory.CreateDirectory(folder.Combine("good"));
        File.WriteAllBytes(folder.Combine("good", "a.png"), [1]);
        File.CreateSymbolicLink(folder.Combine("good", "passwd.png"), "/etc/passwd");
        Directory.CreateSymbolicLink(folder.Combine("good", "loop"), folder.Path);
        MakeFifo(folder.Combine("x.png"));

        var skipped = new List<string>();
        var found = ImageFolder.Scan(folder.Path, skipped);

        Assert.Equal(["good/a.png"], found.Select(f => f.Name));
        Assert.Contains("good/passwd.png: a link to /etc/passwd, not followed", skipped);
        Assert.Contains(skipped, s => s.StartsWith("good/loop: a link", StringComparison.Ordinal));
        Assert.Contains("x.png: not a plain file (a FIFO, socket or device)", skipped);
    }

    private static void MakeFifo(string path)
    {
        using var process = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }
}
