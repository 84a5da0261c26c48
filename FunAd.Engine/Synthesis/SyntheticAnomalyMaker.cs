using FunAd.Engine.Imaging;

namespace FunAd.Engine.Synthesis;

/// <summary>
/// DRAEM-style synthetic anomalies made from the training images themselves (no clean data and no
/// outside texture set assumed): a thresholded Perlin-noise mask cuts a region out of one image and
/// fills it with a blend of that image and a transformed other training image.
/// </summary>
public static class SyntheticAnomalyMaker
{
    private const double Threshold = 0.5;

    /// <param name="target">The image that receives the defect.</param>
    /// <param name="source">Another training image, the texture source; both at the same size.</param>
    public static SyntheticAnomaly Make(RgbImage target, RgbImage source, Random random)
    {
        if (target.Width != source.Width || target.Height != source.Height)
            throw new ArgumentException("Target and source must have the same size.");
        var width = target.Width;
        var height = target.Height;
        bool[] mask;
        do
        {
            // DRAEM draws the lattice scale per axis from 2^0..2^5.
            var noise = PerlinNoise.Generate(width, height, 1 << random.Next(6), 1 << random.Next(6), random);
            mask = noise.Select(v => v > Threshold).ToArray();
        }
        while (!mask.Contains(true));

        var texture = Transform(source, random);
        // beta is the share of the original kept inside the region (DRAEM: up to 0.8).
        var beta = random.NextDouble() * 0.8;
        var pixels = (byte[])target.Pixels.Clone();
        for (var i = 0; i < mask.Length; i++)
        {
            if (!mask[i]) continue;
            for (var c = 0; c < 3; c++)
                pixels[i * 3 + c] = (byte)Math.Round(beta * target.Pixels[i * 3 + c] + (1 - beta) * texture[i * 3 + c]);
        }
        return new SyntheticAnomaly(new RgbImage(width, height, pixels), mask);
    }

    /// <summary>The source turned by a random quarter turn (square images) and with its intensities changed, so it differs from any normal region.</summary>
    private static byte[] Transform(RgbImage source, Random random)
    {
        var width = source.Width;
        var height = source.Height;
        var turns = width == height ? random.Next(4) : 0;
        var invert = random.Next(2) == 1;
        var gamma = 0.5 + random.NextDouble() * 1.5;
        var result = new byte[source.Pixels.Length];
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
        {
            var (sx, sy) = turns switch
            {
                1 => (y, width - 1 - x),
                2 => (width - 1 - x, height - 1 - y),
                3 => (height - 1 - y, x),
                _ => (x, y),
            };
            for (var c = 0; c < 3; c++)
            {
                var v = source.Pixels[(sy * width + sx) * 3 + c] / 255.0;
                v = Math.Pow(invert ? 1 - v : v, gamma);
                result[(y * width + x) * 3 + c] = (byte)Math.Round(v * 255);
            }
        }
        return result;
    }
}
