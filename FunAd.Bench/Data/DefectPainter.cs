using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FunAd.Bench.Data;

/// <summary>
/// Paints realistic-looking defects onto texture crops and returns their masks: stains (an irregular
/// region darkened or lightened), scratches (thin polylines), holes (dark soft-edged ellipses) and
/// foreign patches (an irregular region taken from another texture).
/// </summary>
public static class DefectPainter
{
    public static readonly string[] Kinds = ["stain", "scratch", "hole", "patch"];

    public static bool[] Paint(Image<Rgb24> image, string kind, Image<Rgb24> foreign, Random random) => kind switch
    {
        "stain" => Stain(image, random),
        "scratch" => Scratch(image, random),
        "hole" => Hole(image, random),
        "patch" => Patch(image, foreign, random),
        _ => throw new ArgumentException($"Unknown defect kind '{kind}'."),
    };

    private static bool[] Stain(Image<Rgb24> image, Random random)
    {
        var mask = IrregularRegion(image.Width, image.Height, random, 0.06, 0.14);
        var factor = random.NextDouble() < 0.5 ? 0.55 : 1.5;
        Apply(image, mask, p => Scale(p, factor));
        return mask;
    }

    private static bool[] Scratch(Image<Rgb24> image, Random random)
    {
        var mask = new bool[image.Width * image.Height];
        double x = random.Next(image.Width / 4, 3 * image.Width / 4), y = random.Next(image.Height / 4, 3 * image.Height / 4);
        var angle = random.NextDouble() * Math.PI * 2;
        var width = 1.5 + random.NextDouble() * 1.5;
        var length = image.Width * (0.25 + random.NextDouble() * 0.3);
        for (var step = 0.0; step < length; step += 0.5)
        {
            angle += (random.NextDouble() - 0.5) * 0.05;
            x += Math.Cos(angle) * 0.5;
            y += Math.Sin(angle) * 0.5;
            for (var dy = -width; dy <= width; dy++)
            for (var dx = -width; dx <= width; dx++)
            {
                int px = (int)(x + dx), py = (int)(y + dy);
                if (px >= 0 && py >= 0 && px < image.Width && py < image.Height && dx * dx + dy * dy <= width * width)
                    mask[py * image.Width + px] = true;
            }
        }
        var bright = random.NextDouble() < 0.5;
        Apply(image, mask, p => bright ? Scale(p, 1.8) : Scale(p, 0.35));
        return mask;
    }

    private static bool[] Hole(Image<Rgb24> image, Random random)
    {
        var mask = new bool[image.Width * image.Height];
        var cx = random.Next(image.Width / 5, 4 * image.Width / 5);
        var cy = random.Next(image.Height / 5, 4 * image.Height / 5);
        var rx = image.Width * (0.04 + random.NextDouble() * 0.05);
        var ry = rx * (0.6 + random.NextDouble() * 0.8);
        for (var y = 0; y < image.Height; y++)
        for (var x = 0; x < image.Width; x++)
        {
            var d = Math.Pow((x - cx) / rx, 2) + Math.Pow((y - cy) / ry, 2);
            if (d > 1) continue;
            mask[y * image.Width + x] = true;
            var p = image[x, y];
            var shade = 0.15 + 0.25 * d; // darker in the middle, like depth
            image[x, y] = Scale(p, shade);
        }
        return mask;
    }

    private static bool[] Patch(Image<Rgb24> image, Image<Rgb24> foreign, Random random)
    {
        var mask = IrregularRegion(image.Width, image.Height, random, 0.05, 0.12);
        int ox = random.Next(Math.Max(1, foreign.Width - image.Width)), oy = random.Next(Math.Max(1, foreign.Height - image.Height));
        for (var y = 0; y < image.Height; y++)
        for (var x = 0; x < image.Width; x++)
            if (mask[y * image.Width + x])
                image[x, y] = foreign[(x + ox) % foreign.Width, (y + oy) % foreign.Height];
        return mask;
    }

    /// <summary>A blob with a wobbly outline: a radius that varies smoothly with the angle.</summary>
    private static bool[] IrregularRegion(int width, int height, Random random, double minRadius, double maxRadius)
    {
        var mask = new bool[width * height];
        var cx = random.Next(width / 5, 4 * width / 5);
        var cy = random.Next(height / 5, 4 * height / 5);
        var radius = width * (minRadius + random.NextDouble() * (maxRadius - minRadius));
        var harmonics = Enumerable.Range(2, 4).Select(k => (k, amplitude: random.NextDouble() * 0.25 / k * 2, phase: random.NextDouble() * Math.PI * 2)).ToArray();
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
        {
            var angle = Math.Atan2(y - cy, x - cx);
            var r = radius * (1 + harmonics.Sum(h => h.amplitude * Math.Sin(h.k * angle + h.phase)));
            if (Math.Pow(x - cx, 2) + Math.Pow(y - cy, 2) <= r * r) mask[y * width + x] = true;
        }
        return mask;
    }

    private static void Apply(Image<Rgb24> image, bool[] mask, Func<Rgb24, Rgb24> change)
    {
        for (var y = 0; y < image.Height; y++)
        for (var x = 0; x < image.Width; x++)
            if (mask[y * image.Width + x]) image[x, y] = change(image[x, y]);
    }

    private static Rgb24 Scale(Rgb24 p, double factor) =>
        new((byte)Math.Clamp(p.R * factor, 0, 255), (byte)Math.Clamp(p.G * factor, 0, 255), (byte)Math.Clamp(p.B * factor, 0, 255));
}
