using System.Diagnostics;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace FunAd.Bench.Data;

/// <summary>
/// Real texture photographs from Debian packages, each turned into one PNG that <see cref="DefectSet"/>
/// crops: scikit-image's sample data (python3-skimage: brick, grass,
/// gravel; 512x512, CC0), Tux Paint's photographic templates (tuxpaint-data: mudstone, pebbles, bark;
/// photographs of 640x420 to 1296x864) and Extreme Tux Racer's terrain photographs (extremetuxracer-data: sand,
/// cobbles; seamless 256x256 tiles, laid out 3x3). A package that is not installed is downloaded with
/// <c>apt-get download</c> and unpacked into the work folder (no root needed).
/// </summary>
public static class TextureSource
{
    /// <param name="Foreign">The texture whose pieces "foreign patch" defects paste in.</param>
    /// <param name="Tiles">Seamless tiles are laid out Tiles x Tiles, so crops of 256 pixels fit.</param>
    /// <param name="Bars">Rows cut off the top and the bottom (a photograph letterboxed in black).</param>
    private sealed record Texture(string Name, string Package, string PathInPackage, string Foreign, int Tiles = 1, int Bars = 0);

    private static readonly Texture[] All =
    [
        new("brick", "python3-skimage", "usr/lib/python3/dist-packages/skimage/data/brick.png", "grass"),
        new("grass", "python3-skimage", "usr/lib/python3/dist-packages/skimage/data/grass.png", "gravel"),
        new("gravel", "python3-skimage", "usr/lib/python3/dist-packages/skimage/data/gravel.png", "brick"),
        new("mudstone", "tuxpaint-data", "usr/share/tuxpaint/templates/mudstone.jpg", "pebbles"),
        new("pebbles", "tuxpaint-data", "usr/share/tuxpaint/templates/rocks.jpg", "bark"),
        new("bark", "tuxpaint-data", "usr/share/tuxpaint/templates/mossy_bark.jpg", "sand", Bars: 30),
        new("sand", "extremetuxracer-data", "usr/share/games/etr/terrains/sand01.png", "cobbles", Tiles: 3),
        new("cobbles", "extremetuxracer-data", "usr/share/games/etr/terrains/pave01.png", "mudstone", Tiles: 3),
    ];

    public static IReadOnlyList<string> Names { get; } = All.Select(t => t.Name).ToArray();

    /// <summary>The textures of the first benchmark sessions; later sessions added the others.</summary>
    public static IReadOnlyList<string> Original { get; } = ["brick", "grass", "gravel"];

    /// <summary>The texture whose pieces the named texture's "foreign patch" defects paste in.</summary>
    public static string ForeignOf(string name) => Find(name).Foreign;

    /// <summary>The path of a PNG of the named texture under the work folder, made on first use.</summary>
    public static string Locate(string workFolder, string name)
    {
        var texture = Find(name);
        var output = Path.Combine(workFolder, "textures-src", name + ".png");
        if (File.Exists(output)) return output;
        var source = "/" + texture.PathInPackage;
        if (!File.Exists(source)) source = Path.Combine(Unpack(workFolder, texture.Package), texture.PathInPackage);
        if (!File.Exists(source)) throw new FileNotFoundException($"{texture.Package} holds no {texture.PathInPackage}.", source);
        using var image = Image.Load<Rgb24>(source);
        if (texture.Bars > 0) image.Mutate(c => c.Crop(new Rectangle(0, texture.Bars, image.Width, image.Height - 2 * texture.Bars)));
        using var result = Tile(image, texture.Tiles);
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        result.SaveAsPng(output + ".tmp");
        File.Move(output + ".tmp", output, overwrite: true);
        return output;
    }

    private static Texture Find(string name) =>
        All.FirstOrDefault(t => t.Name == name) ?? throw new ArgumentException($"Unknown texture '{name}': use {string.Join(", ", Names)}.");

    private static Image<Rgb24> Tile(Image<Rgb24> image, int tiles)
    {
        var result = new Image<Rgb24>(image.Width * tiles, image.Height * tiles);
        for (var ty = 0; ty < tiles; ty++)
        for (var tx = 0; tx < tiles; tx++)
        {
            var (x, y) = (tx * image.Width, ty * image.Height);
            result.Mutate(c => c.DrawImage(image, new Point(x, y), 1f));
        }
        return result;
    }

    private static string Unpack(string workFolder, string package)
    {
        var unpacked = Path.Combine(workFolder, "packages", package);
        if (Directory.Exists(Path.Combine(unpacked, "usr"))) return unpacked;
        Directory.CreateDirectory(unpacked);
        Run("apt-get", $"download {package}", unpacked);
        var deb = Directory.GetFiles(unpacked, $"{package}_*.deb").FirstOrDefault()
                  ?? throw new FileNotFoundException($"apt-get download {package} produced no .deb; run 'apt-get update' first.");
        Run("dpkg", $"-x {deb} {unpacked}", unpacked);
        File.Delete(deb);
        return unpacked;
    }

    private static void Run(string program, string arguments, string folder)
    {
        // Its chatter stays out of the benchmark's output; only a failure's message is shown.
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { WorkingDirectory = folder, RedirectStandardError = true, RedirectStandardOutput = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        output.Wait();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} {arguments} failed: {error.Trim()}");
    }
}
