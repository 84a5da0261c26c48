using FunAd.Engine.Scoring;

namespace FunAd.Tests.Scoring;

public class AnomalyMapTests
{
    [Fact]
    public void Upsampling_uses_half_pixel_centres_like_torch_without_align_corners()
    {
        // torch.nn.functional.interpolate([[0, 1], [2, 3]], size=(4, 4), mode="bilinear", align_corners=False)
        float[] expected =
        [
            0.00f, 0.25f, 0.75f, 1.00f,
            0.50f, 0.75f, 1.25f, 1.50f,
            1.50f, 1.75f, 2.25f, 2.50f,
            2.00f, 2.25f, 2.75f, 3.00f,
        ];

        var map = AnomalyMap.Upsample([0, 1, 2, 3], 2, 2, 4, 4);

        Assert.Equal(expected, map);
    }

    [Fact]
    public void A_constant_grid_gives_a_constant_map_of_the_image_size()
    {
        var map = AnomalyMap.Render(Enumerable.Repeat(0.7f, 28 * 28).ToArray(), 28, 300, 200);

        Assert.Equal(300 * 200, map.Length);
        Assert.All(map, v => Assert.Equal(0.7f, v, 1e-5f));
    }

    [Fact]
    public void The_blur_keeps_the_total_and_spreads_a_peak_by_the_scaled_sigma()
    {
        var grid = new float[28 * 28];
        grid[14 * 28 + 14] = 1;
        var small = AnomalyMap.Render(grid, 28, 224, 224);
        var large = AnomalyMap.Render(grid, 28, 448, 448);

        // The same picture at twice the size: sigma scales with it, so four times the mass, the same peak.
        Assert.Equal(small.Sum() * 4, large.Sum(), 0.02 * large.Sum());
        Assert.Equal(small.Max(), large.Max(), 0.05 * small.Max());
        Assert.True(small.Max() < 0.5f, "the blur must spread the single-patch peak");
        var peak = Array.IndexOf(small, small.Max());
        Assert.InRange(peak % 224, 110, 118);
        Assert.InRange(peak / 224, 110, 118);
    }

    [Fact]
    public void The_gaussian_kernel_is_normalised_and_four_sigma_wide()
    {
        var kernel = GaussianBlur.Kernel(4);

        Assert.Equal(33, kernel.Length);
        Assert.Equal(1.0, kernel.Sum(), 1e-5);
        Assert.Equal(kernel[0], kernel[^1]);
        Assert.Equal(kernel.Max(), kernel[16]);
    }

    [Fact]
    public void The_blur_equals_a_direct_two_dimensional_convolution_with_reflected_borders()
    {
        const int width = 13, height = 9;
        var random = new Random(11);
        var image = Enumerable.Range(0, width * height).Select(_ => (float)random.NextDouble()).ToArray();
        var kx = GaussianBlur.Kernel(1.2);
        var ky = GaussianBlur.Kernel(0.8);
        static int Reflect(int i, int n) { var p = 2 * (n - 1); i = Math.Abs(i) % p; return i < n ? i : p - i; }
        var expected = new double[width * height];
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
        for (var j = 0; j < ky.Length; j++)
        for (var i = 0; i < kx.Length; i++)
            expected[y * width + x] += ky[j] * kx[i] * image[Reflect(y + j - ky.Length / 2, height) * width + Reflect(x + i - kx.Length / 2, width)];

        GaussianBlur.Apply(image, width, height, 1.2, 0.8);

        for (var p = 0; p < image.Length; p++) Assert.Equal(expected[p], image[p], 1e-5);
    }
}
