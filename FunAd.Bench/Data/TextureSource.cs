using System.Diagnostics;

namespace FunAd.Bench.Data;

/// <summary>
/// Real texture photographs (brick, grass, gravel: 512x512, CC0) from scikit-image's sample data in
/// Debian's python3-skimage package. When the package is not installed, its .deb is downloaded and
/// unpacked into the work folder (no Python needed).
/// </summary>
public static class TextureSource
{
    public static readonly string[] Names = ["brick", "grass", "gravel"];
    private const string PackagePath = "usr/lib/python3/dist-packages/skimage/data";

    public static string Locate(string workFolder)
    {
        var installed = "/" + PackagePath;
        if (Names.All(n => File.Exists(Path.Combine(installed, n + ".png")))) return installed;
        var unpacked = Path.Combine(workFolder, "python3-skimage");
        var folder = Path.Combine(unpacked, PackagePath);
        if (Names.All(n => File.Exists(Path.Combine(folder, n + ".png")))) return folder;
        Directory.CreateDirectory(unpacked);
        Run("apt-get", $"download python3-skimage", unpacked);
        var deb = Directory.GetFiles(unpacked, "python3-skimage_*.deb").FirstOrDefault()
                  ?? throw new FileNotFoundException("apt-get download python3-skimage produced no .deb; run 'apt-get update' first.");
        Run("dpkg", $"-x {deb} {unpacked}", unpacked);
        return folder;
    }

    private static void Run(string program, string arguments, string folder)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { WorkingDirectory = folder, RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} {arguments} failed: {error.Trim()}");
    }
}
