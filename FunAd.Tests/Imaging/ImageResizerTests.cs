using FunAd.Engine.Imaging;
using SixLabors.ImageSharp.Processing;
using static FunAd.Tests.Support.SyntheticImages;

namespace FunAd.Tests.Imaging;

public sealed class ImageResizerTests
{
    /// <summary>
    /// The resampler is ours for speed; on a real photograph it must match ImageSharp's Triangle
    /// resize (the reference it replaced) up to that one's rounding to bytes.
    /// </summary>
    [Theory]
    [InlineData(256, 256, 224)]
    [InlineData(700, 500, 224)]
    [InlineData(100, 160, 224)]
    [InlineData(224, 224, 224)]
    public void Matches_imagesharps_triangle_resize_on_a_photograph(int width, int height, int size)
    {
        using var photo = SixLabors.ImageSharp.Image.Load<SixLabors.ImageSharp.PixelFormats.Rgb24>(FunAd.Tests.Support.TestImages.BrickPath);
        photo.Mutate(x => x.Crop(new SixLabors.ImageSharp.Rectangle(0, 0, Math.Min(width, photo.Width), Math.Min(height, photo.Height))).Resize(width, height));
        var pixels = new byte[width * height * 3];
        photo.CopyPixelDataTo(pixels);
        using var reference = photo.Clone(x => x.Resize(size, size, SixLabors.ImageSharp.Processing.KnownResamplers.Triangle));
        var expected = new byte[size * size * 3];
        reference.CopyPixelDataTo(expected);

        var chw = ImageResizer.ToChw(new RgbImage(width, height, pixels), size);

        var plane = size * size;
        double worst = 0, total = 0;
        for (var i = 0; i < plane; i++)
            for (var c = 0; c < 3; c++)
            {
                var difference = Math.Abs(chw[c * plane + i] * 255 - expected[i * 3 + c]);
                worst = Math.Max(worst, difference);
                total += difference;
            }
        Assert.True(worst <= 1.0, $"largest difference {worst:F3} of 255");
        Assert.True(total / (3 * plane) <= 0.3, $"mean difference {total / (3 * plane):F3} of 255");
        if (width == size && height == size) Assert.Equal(0, worst, 6);
    }

    [Fact]
    public void Gives_three_planes_of_size_squared_values_in_unit_range()
    {
        var random = new Random(7);
        var image = CreateRgb(37, 23, (_, _) => ((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)));

        float[] chw = ImageResizer.ToChw(image, 32);

        Assert.Equal(3 * 32 * 32, chw.Length);
        Assert.All(chw, v => Assert.InRange(v, 0f, 1f));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Uniform_red_gives_one_in_red_and_zero_elsewhere(bool centerCrop)
    {
        var image = CreateRgb(50, 30, (_, _) => (255, 0, 0));

        float[] chw = ImageResizer.ToChw(image, 16, centerCrop);

        int plane = 16 * 16;
        Assert.All(chw[..plane], v => Assert.Equal(1f, v));
        Assert.All(chw[plane..], v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Center_crop_keeps_the_center_and_stretch_keeps_the_sides()
    {
        // 400x200: blue 100-pixel bands on the left and right, red in the middle 200 columns.
        // Center crop at 224 resizes to 512x256 (red spans 128..384) and keeps columns 144..368: all red.
        var image = CreateRgb(400, 200, (x, _) => x is >= 100 and < 300 ? ((byte)255, (byte)0, (byte)0) : ((byte)0, (byte)0, (byte)255));
        const int size = 224;
        const int plane = size * size;

        float[] cropped = ImageResizer.ToChw(image, size, centerCrop: true);
        float[] stretched = ImageResizer.ToChw(image, size, centerCrop: false);

        Assert.All(cropped[..plane], v => Assert.Equal(1f, v, 0.01f));
        Assert.All(cropped[(2 * plane)..], v => Assert.Equal(0f, v, 0.01f));
        int middleRow = size / 2 * size;
        Assert.Equal(0f, stretched[middleRow], 0.01f); // red of the left column
        Assert.Equal(1f, stretched[2 * plane + middleRow], 0.01f); // blue of the left column
        Assert.Equal(1f, stretched[middleRow + size / 2], 0.01f); // red in the centre
    }

    [Fact]
    public void Center_crop_of_a_tall_image_keeps_its_vertical_center()
    {
        // Mirror of the wide case: green in the middle half of the rows, black above and below.
        var image = CreateRgb(60, 240, (_, y) => y is >= 60 and < 180 ? ((byte)0, (byte)255, (byte)0) : ((byte)0, (byte)0, (byte)0));

        float[] cropped = ImageResizer.ToChw(image, 56, centerCrop: true);

        Assert.All(cropped.AsSpan(56 * 56, 56 * 56).ToArray(), v => Assert.Equal(1f, v, 0.01f));
    }

    [Fact]
    public void Fills_one_slice_of_a_batch_buffer()
    {
        var image = CreateRgb(10, 10, (_, _) => (0, 0, 255));
        const int perImage = 3 * 8 * 8;
        var batch = new float[3 * perImage];
        Array.Fill(batch, -1f);

        ImageResizer.ToChw(image, 8, false, batch.AsSpan(perImage, perImage));

        Assert.All(batch[..perImage], v => Assert.Equal(-1f, v));
        Assert.Equal(ImageResizer.ToChw(image, 8), batch[perImage..(2 * perImage)]);
        Assert.All(batch[(2 * perImage)..], v => Assert.Equal(-1f, v));
    }

    [Fact]
    public void Refuses_a_destination_of_the_wrong_length()
    {
        var image = CreateRgb(4, 4, (_, _) => (0, 0, 0));

        Assert.Throws<ArgumentException>(() => ImageResizer.ToChw(image, 8, false, new float[3 * 8 * 8 - 1]));
    }
}
