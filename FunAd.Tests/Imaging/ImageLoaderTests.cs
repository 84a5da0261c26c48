using FunAd.Engine.Imaging;
using FunAd.Tests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Pbm;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tga;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using static FunAd.Tests.Support.SyntheticImages;

namespace FunAd.Tests.Imaging;

public sealed class ImageLoaderTests : IDisposable
{
    private readonly TemporaryFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static readonly (byte R, byte G, byte B) Red = (255, 0, 0);
    private static readonly (byte R, byte G, byte B) Green = (0, 255, 0);

    /// <summary>A 4x3 image with a different colour in every pixel, to catch row/channel mix-ups.</summary>
    private static Rgb24 Distinct(int x, int y) => new((byte)(40 * x + 10), (byte)(60 * y + 20), (byte)(x * 7 + y * 13));

    [Fact]
    public void Loads_rgb_png_exactly()
    {
        string path = _temp.Combine("rgb.png");
        using (var source = Create<Rgb24>(4, 3, Distinct)) source.SaveAsPng(path);

        var image = ImageLoader.Load(path, DecodeLimits.Default);

        Assert.Equal(4, image.Width);
        Assert.Equal(3, image.Height);
        for (int y = 0; y < 3; y++)
        {
            for (int x = 0; x < 4; x++)
            {
                var p = Distinct(x, y);
                Assert.Equal((p.R, p.G, p.B), PixelAt(image, x, y));
            }
        }
    }

    [Fact]
    public void Loads_jpeg_close_to_the_original_colour()
    {
        string path = _temp.Combine("photo.jpg");
        using (var source = Create<Rgb24>(16, 16, (_, _) => new Rgb24(200, 100, 50)))
        {
            source.SaveAsJpeg(path, new JpegEncoder { Quality = 95 });
        }

        var image = ImageLoader.Load(path, DecodeLimits.Default);

        Assert.Equal((16, 16), (image.Width, image.Height));
        Assert.True(Near(PixelAt(image, 8, 8), (200, 100, 50), 6), $"got {PixelAt(image, 8, 8)}");
    }

    [Fact]
    public void Loads_8_bit_grey_png_as_equal_channels()
    {
        string path = _temp.Combine("grey8.png");
        using (var source = Create<L8>(5, 5, (x, _) => new L8((byte)(50 * x))))
        {
            source.SaveAsPng(path, new PngEncoder { ColorType = PngColorType.Grayscale, BitDepth = PngBitDepth.Bit8 });
        }

        var image = ImageLoader.Load(path, DecodeLimits.Default);

        for (int x = 0; x < 5; x++) Assert.Equal(((byte)(50 * x), (byte)(50 * x), (byte)(50 * x)), PixelAt(image, x, 2));
    }

    [Fact]
    public void Loads_16_bit_grey_png_scaled_to_8_bits()
    {
        string path = _temp.Combine("grey16.png");
        using (var source = Create<L16>(3, 1, (x, _) => new L16(x switch { 0 => 0, 1 => 0x8080, _ => 0xFFFF })))
        {
            source.SaveAsPng(path, new PngEncoder { ColorType = PngColorType.Grayscale, BitDepth = PngBitDepth.Bit16 });
        }

        var image = ImageLoader.Load(path, DecodeLimits.Default);

        Assert.Equal(((byte)0, (byte)0, (byte)0), PixelAt(image, 0, 0));
        Assert.Equal(((byte)128, (byte)128, (byte)128), PixelAt(image, 1, 0));
        Assert.Equal(((byte)255, (byte)255, (byte)255), PixelAt(image, 2, 0));
    }

    [Fact]
    public void Loads_16_bit_rgb_png_scaled_to_8_bits()
    {
        string path = _temp.Combine("rgb48.png");
        using (var source = Create<Rgb48>(2, 2, (_, _) => new Rgb48(0xFFFF, 0, 0x8080)))
        {
            source.SaveAsPng(path, new PngEncoder { ColorType = PngColorType.Rgb, BitDepth = PngBitDepth.Bit16 });
        }

        Assert.Equal(((byte)255, (byte)0, (byte)128), PixelAt(ImageLoader.Load(path, DecodeLimits.Default), 1, 1));
    }

    [Fact]
    public void Composites_rgba_png_over_black()
    {
        string path = _temp.Combine("rgba.png");
        using (var source = Create<Rgba32>(3, 1, (x, _) => new Rgba32(200, 100, 50, (byte)(x switch { 0 => 255, 1 => 128, _ => 0 }))))
        {
            source.SaveAsPng(path, new PngEncoder { ColorType = PngColorType.RgbWithAlpha });
        }

        var image = ImageLoader.Load(path, DecodeLimits.Default);

        Assert.Equal(((byte)200, (byte)100, (byte)50), PixelAt(image, 0, 0));
        Assert.Equal(((byte)100, (byte)50, (byte)25), PixelAt(image, 1, 0));
        Assert.Equal(((byte)0, (byte)0, (byte)0), PixelAt(image, 2, 0));
    }

    [Fact]
    public void Loads_palette_png()
    {
        string path = _temp.Combine("palette.png");
        using (var source = Create<Rgb24>(4, 4, (x, _) => x < 2 ? new Rgb24(255, 0, 0) : new Rgb24(0, 0, 255)))
        {
            source.SaveAsPng(path, new PngEncoder { ColorType = PngColorType.Palette });
        }

        var image = ImageLoader.Load(path, DecodeLimits.Default);

        Assert.Equal(Red, PixelAt(image, 0, 3));
        Assert.Equal(((byte)0, (byte)0, (byte)255), PixelAt(image, 3, 0));
    }

    public static TheoryData<string, IImageEncoder> LosslessFormats => new()
    {
        { "image.bmp", new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel24 } },
        { "image.gif", new GifEncoder() },
        { "image.tiff", new TiffEncoder() },
        { "image.tga", new TgaEncoder { BitsPerPixel = TgaBitsPerPixel.Pixel24 } },
        { "image.webp", new WebpEncoder { FileFormat = WebpFileFormatType.Lossless } },
        { "image.ppm", new PbmEncoder { ColorType = PbmColorType.Rgb } },
    };

    [Theory]
    [MemberData(nameof(LosslessFormats))]
    public void Loads_the_other_supported_formats(string name, IImageEncoder encoder)
    {
        string path = _temp.Combine(name);
        using (var source = Create<Rgb24>(6, 4, (x, _) => x < 3 ? new Rgb24(255, 0, 0) : new Rgb24(0, 255, 0)))
        {
            source.Save(path, encoder);
        }

        var image = ImageLoader.Load(path, DecodeLimits.Default);

        Assert.Equal((6, 4), (image.Width, image.Height));
        Assert.Equal(Red, PixelAt(image, 0, 0));
        Assert.Equal(Green, PixelAt(image, 5, 3));
    }

    [Fact]
    public void Uses_the_first_frame_of_an_animated_gif()
    {
        string path = _temp.Combine("animated.gif");
        using (var source = Create<Rgba32>(4, 4, (_, _) => new Rgba32(255, 0, 0)))
        {
            using var second = Create<Rgba32>(4, 4, (_, _) => new Rgba32(0, 255, 0));
            source.Frames.AddFrame(second.Frames.RootFrame);
            source.SaveAsGif(path);
        }

        Assert.Equal(Red, PixelAt(ImageLoader.Load(path, DecodeLimits.Default), 2, 2));
    }

    public static TheoryData<string, IImageEncoder> OrientableFormats => new()
    {
        { "rotated.jpg", new JpegEncoder { Quality = 95 } },
        { "rotated.png", new PngEncoder() },
    };

    [Theory]
    [MemberData(nameof(OrientableFormats))]
    public void Applies_exif_orientation_6(string name, IImageEncoder encoder)
    {
        // Stored 48 wide and 32 tall with a red block in the top-left corner. Orientation 6 means
        // "rotate 90 degrees clockwise to display", which takes the top-left corner to the top-right.
        string path = _temp.Combine(name);
        using (var source = Create<Rgb24>(48, 32, (x, y) => x < 16 && y < 16 ? new Rgb24(255, 0, 0) : new Rgb24(0, 255, 0)))
        {
            source.Metadata.ExifProfile = new ExifProfile();
            source.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)6);
            source.Save(path, encoder);
        }

        var image = ImageLoader.Load(path, DecodeLimits.Default);

        Assert.Equal((32, 48), (image.Width, image.Height));
        Assert.True(Near(PixelAt(image, 31 - 4, 4), Red, 12), $"top-right is {PixelAt(image, 27, 4)}");
        Assert.True(Near(PixelAt(image, 4, 4), Green, 12), $"top-left is {PixelAt(image, 4, 4)}");
        Assert.True(Near(PixelAt(image, 4, 43), Green, 12), $"bottom-left is {PixelAt(image, 4, 43)}");
    }

    [Fact]
    public void Refuses_too_many_pixels_before_decoding_and_names_the_file()
    {
        string path = _temp.Combine("big.png");
        using (var source = new Image<Rgb24>(100, 80)) source.SaveAsPng(path);

        var error = Assert.Throws<ImageDecodeException>(() => ImageLoader.Load(path, DecodeLimits.Default with { MaxPixels = 5000 }));

        Assert.Equal(path, error.FileName);
        Assert.Contains(path, error.Message);
        Assert.Contains("image is 100x80 = 8000 pixels, over the limit of 5000", error.Message);
    }

    [Fact]
    public void Refuses_a_file_over_the_byte_limit()
    {
        string path = _temp.Combine("heavy.bmp");
        using (var source = new Image<Rgb24>(20, 20)) source.SaveAsBmp(path);
        long size = new FileInfo(path).Length;

        var error = Assert.Throws<ImageDecodeException>(() => ImageLoader.Load(path, DecodeLimits.Default with { MaxFileBytes = 100 }));

        Assert.Contains(path, error.Message);
        Assert.Contains($"file is {size} bytes, over the limit of 100 bytes", error.Message);
    }

    [Fact]
    public void Refuses_an_unseekable_stream_over_the_byte_limit()
    {
        using var data = new UnseekableStream(new byte[5000]);

        var error = Assert.Throws<ImageDecodeException>(() => ImageLoader.Load(data, "upload.png", DecodeLimits.Default with { MaxFileBytes = 1000 }));

        Assert.Equal("upload.png: file is over the limit of 1000 bytes", error.Message);
    }

    [Fact]
    public void Loads_from_an_unseekable_stream()
    {
        using var png = new MemoryStream();
        using (var source = Create<Rgb24>(4, 3, Distinct)) source.SaveAsPng(png);
        using var data = new UnseekableStream(png.ToArray());

        var image = ImageLoader.Load(data, "upload.png", DecodeLimits.Default);

        Assert.Equal((4, 3), (image.Width, image.Height));
    }

    [Fact]
    public void Refuses_an_empty_file()
    {
        string path = _temp.Combine("empty.png");
        File.WriteAllBytes(path, []);

        var error = Assert.Throws<ImageDecodeException>(() => ImageLoader.Load(path, DecodeLimits.Default));

        Assert.Equal($"{path}: file is empty", error.Message);
    }

    [Fact]
    public void Refuses_random_bytes_as_an_unsupported_format()
    {
        string path = _temp.Combine("noise.png");
        var bytes = new byte[4096];
        new Random(1234).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<ImageDecodeException>(() => ImageLoader.Load(path, DecodeLimits.Default));

        Assert.Equal($"{path}: not a supported image format (PNG, JPEG, BMP, GIF, TIFF, TGA, WebP, PBM)", error.Message);
    }

    [Fact]
    public void Refuses_a_truncated_png_as_corrupt()
    {
        using var png = new MemoryStream();
        using (var source = Create<Rgb24>(64, 64, (x, y) => new Rgb24((byte)(x * 3), (byte)(y * 5), (byte)(x ^ y)))) source.SaveAsPng(png);
        var bytes = png.ToArray();

        var error = Assert.Throws<ImageDecodeException>(() =>
            ImageLoader.Load(new MemoryStream(bytes, 0, bytes.Length / 2), "cut.png", DecodeLimits.Default));

        Assert.StartsWith("cut.png: file is corrupt: ", error.Message);
        Assert.NotNull(error.InnerException);
    }

    [Fact]
    public void Supported_extensions_are_lower_case_and_known_to_the_decoder()
    {
        Assert.Contains(".png", ImageLoader.SupportedExtensions);
        Assert.Contains(".jpg", ImageLoader.SupportedExtensions);
        foreach (string extension in ImageLoader.SupportedExtensions)
        {
            Assert.StartsWith(".", extension);
            Assert.Equal(extension.ToLowerInvariant(), extension);
            Assert.NotNull(Configuration.Default.ImageFormatsManager.FindFormatByFileExtension(extension[1..]));
        }
    }
}
