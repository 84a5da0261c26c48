using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace FunAd.Tests.Support;

/// <summary>
/// Real images for tests: crops of a photographed brick wall (Fixtures/brick.png), optionally with a
/// painted defect and its mask, written as PNG files into a temporary folder.
/// </summary>
public static class TestImages
{
    public static string BrickPath => Path.Combine(AppContext.BaseDirectory, "Fixtures", "brick.png");

    /// <summary>A size x size crop of the brick photograph at (x, y), as RGB.</summary>
    public static Image<Rgb24> BrickCrop(int x, int y, int size)
    {
        using var brick = Image.Load<Rgb24>(BrickPath);
        return brick.Clone(c => c.Crop(new Rectangle(x, y, size, size)));
    }

    /// <summary>Paints a bright elliptical blob (a stain) and returns its mask (true inside).</summary>
    public static bool[] PaintBlob(Image<Rgb24> image, int centreX, int centreY, int radiusX, int radiusY, Rgb24 colour)
    {
        var mask = new bool[image.Width * image.Height];
        for (var y = 0; y < image.Height; y++)
        for (var x = 0; x < image.Width; x++)
        {
            var dx = (x - centreX) / (double)radiusX;
            var dy = (y - centreY) / (double)radiusY;
            if (dx * dx + dy * dy > 1) continue;
            image[x, y] = colour;
            mask[y * image.Width + x] = true;
        }
        return mask;
    }

    public static void SaveMask(bool[] mask, int width, int height, string path)
    {
        using var image = new Image<L8>(width, height);
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
            image[x, y] = new L8(mask[y * width + x] ? (byte)255 : (byte)0);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        image.SaveAsPng(path);
    }

    public static string Save(Image<Rgb24> image, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        image.SaveAsPng(path);
        return path;
    }

    /// <summary>
    /// A small data set in MVTec AD layout cut from the brick photograph: train/good, test/good and
    /// test/stain with ground_truth masks. Crops do not overlap between train and test.
    /// </summary>
    public static string WriteMvtecLayout(string root, int train = 6, int testGood = 3, int testDefect = 3, int size = 96)
    {
        var index = 0;
        (int X, int Y) NextOrigin()
        {
            var perRow = (512 - size) / 40 + 1;
            var origin = (index % perRow * 40, index / perRow * 40);
            index++;
            return origin;
        }
        for (var i = 0; i < train; i++)
        {
            var (x, y) = NextOrigin();
            using var crop = BrickCrop(x, y, size);
            Save(crop, Path.Combine(root, "train", "good", $"{i:000}.png"));
        }
        for (var i = 0; i < testGood; i++)
        {
            var (x, y) = NextOrigin();
            using var crop = BrickCrop(x, y, size);
            Save(crop, Path.Combine(root, "test", "good", $"{i:000}.png"));
        }
        for (var i = 0; i < testDefect; i++)
        {
            var (x, y) = NextOrigin();
            using var crop = BrickCrop(x, y, size);
            var mask = PaintBlob(crop, size / 3 + i * 7, size / 2, size / 7, size / 9, new Rgb24(250, 40, 40));
            Save(crop, Path.Combine(root, "test", "stain", $"{i:000}.png"));
            SaveMask(mask, size, size, Path.Combine(root, "ground_truth", "stain", $"{i:000}_mask.png"));
        }
        return root;
    }
}
