using FunAd.Engine.Imaging;

namespace FunAd.Engine.Evaluation;

/// <summary>Ground-truth masks as booleans at the image's own size: any channel above half intensity is defect.</summary>
public static class GroundTruthMask
{
    public static bool[] Load(string path, int width, int height, DecodeLimits limits)
    {
        var mask = ImageLoader.Load(path, limits);
        var result = new bool[width * height];
        for (var y = 0; y < height; y++)
        {
            // Nearest-neighbour resampling keeps masks binary when a mask's size differs from its image.
            var sy = Math.Min(mask.Height - 1, (int)((y + 0.5) * mask.Height / height));
            for (var x = 0; x < width; x++)
            {
                var sx = Math.Min(mask.Width - 1, (int)((x + 0.5) * mask.Width / width));
                var at = (sy * mask.Width + sx) * 3;
                result[y * width + x] = mask.Pixels[at] > 127 || mask.Pixels[at + 1] > 127 || mask.Pixels[at + 2] > 127;
            }
        }
        return result;
    }

    public static bool[] Empty(int width, int height) => new bool[width * height];
}
