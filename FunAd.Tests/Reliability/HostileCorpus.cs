using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using FunAd.Tests.Uploads;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace FunAd.Tests.Reliability;

/// <summary>One hostile file and what the importer must say of it (the reason holds <see cref="Reason"/>).</summary>
public sealed record HostileFile(string Name, byte[] Content, string Outcome, string Reason);

/// <summary>
/// A corpus of hostile uploads made by the test itself: broken images of every supported format,
/// dimension headers claiming billions of pixels, a 3,000-frame animation, zip bombs by ratio and by
/// entry count, archives with escaping paths, symbolic links, repeated names and nested archives,
/// lying extensions, empty files and masks that do not fit their image.
/// </summary>
public static class HostileCorpus
{
    private static byte[] Encode(Image<Rgb24> image, SixLabors.ImageSharp.Formats.IImageEncoder encoder)
    {
        using var stream = new MemoryStream();
        image.Save(stream, encoder);
        return stream.ToArray();
    }

    private static Image<Rgb24> Picture(int w = 64, int h = 48, int seed = 7)
    {
        var random = new Random(seed);
        var image = new Image<Rgb24>(w, h);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < h; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < w; x++) row[x] = new Rgb24((byte)random.Next(256), (byte)(x * 4), (byte)(y * 5));
            }
        });
        return image;
    }

    private static byte[] Half(byte[] bytes) => bytes[..(bytes.Length / 2)];

    private static byte[] Garble(byte[] bytes, int from)
    {
        var copy = (byte[])bytes.Clone();
        var random = new Random(1);
        for (var i = from; i < copy.Length; i++) copy[i] = (byte)random.Next(256);
        return copy;
    }

    private static byte[] Zip(Action<ZipArchive> fill)
    {
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true)) fill(zip);
        return memory.ToArray();
    }

    private static void Add(ZipArchive zip, string name, byte[] content, CompressionLevel level = CompressionLevel.Optimal, int? unixMode = null)
    {
        var entry = zip.CreateEntry(name, level);
        if (unixMode is { } mode) entry.ExternalAttributes = mode << 16;
        using var stream = entry.Open();
        stream.Write(content);
    }

    /// <summary>A BMP header claiming the given size, with no pixels after it.</summary>
    private static byte[] HugeBmp(int width, int height)
    {
        var bytes = new byte[54];
        "BM"u8.CopyTo(bytes);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(2), 54);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(22), height);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(28), 24);
        return bytes;
    }

    /// <summary>A JPEG whose start-of-frame claims 65,500 x 65,500 pixels.</summary>
    private static byte[] HugeJpeg(byte[] jpeg)
    {
        var copy = (byte[])jpeg.Clone();
        for (var i = 2; i < copy.Length - 9; i++)
        {
            if (copy[i] == 0xFF && copy[i + 1] is 0xC0 or 0xC2)
            {
                BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(i + 5), 65500);
                BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(i + 7), 65500);
                return copy;
            }
        }
        throw new InvalidOperationException("no SOF marker");
    }

    private static byte[] Animation(int frames)
    {
        using var image = new Image<Rgb24>(16, 16);
        for (var i = 1; i < frames; i++)
        {
            using var frame = new Image<Rgb24>(16, 16, new Rgb24((byte)i, 0, 0));
            image.Frames.AddFrame(frame.Frames.RootFrame);
        }
        return Encode(image, new GifEncoder());
    }

    public static IReadOnlyList<HostileFile> Build()
    {
        using var picture = Picture();
        var png = Encode(picture, new PngEncoder());
        var jpeg = Encode(picture, new JpegEncoder { Quality = 90 });
        var bmp = Encode(picture, new BmpEncoder());
        var tiff = Encode(picture, new TiffEncoder());
        var webp = Encode(picture, new WebpEncoder());
        var gif = Encode(picture, new GifEncoder());
        const string refused = "refused";
        var files = new List<HostileFile>
        {
            new("trunc-half.png", Half(png), refused, ""),
            new("trunc-header.png", png[..20], refused, ""),
            new("garbled.png", Garble(png, 60), refused, ""),
            new("trunc.jpg", jpeg[..40], refused, ""),
            new("garbled.jpg", Garble(jpeg, 30), refused, ""),
            new("trunc.bmp", bmp[..40], refused, ""),
            new("trunc.tiff", tiff[..30], refused, ""),
            new("garbled.tiff", Garble(tiff, 8), refused, ""),
            new("trunc.webp", webp[..20], refused, ""),
            new("garbled.webp", Garble(webp, 20), refused, ""),
            new("trunc.gif", gif[..20], refused, ""),
            // The probe's finds: cut in half, or the last two thirds randomised, these decoded "fine".
            new("half.jpg", Half(jpeg), refused, "truncated"),
            new("half.tiff", Half(tiff), refused, ""),
            new("half.webp", Half(webp), refused, "truncated"),
            new("half.bmp", Half(bmp), refused, "truncated"),
            new("half.gif", Half(gif), refused, "truncated"),
            new("tail-garbled.tiff", Garble(tiff, tiff.Length / 3), refused, ""),
            new("tail-garbled.gif", Garble(gif, gif.Length / 3), refused, "no trailer"),
            new("billions.png", UploadTestFiles.HugePngHeader(100_000, 100_000), refused, "over the limit of"),
            new("billions.bmp", HugeBmp(60_000, 60_000), refused, "over the limit of"),
            new("billions.jpg", HugeJpeg(jpeg), refused, "over the limit of"),
            new("empty.png", [], refused, "file is empty"),
            new("empty.jpg", [], refused, "file is empty"),
            new("text-as.png", "just some words, not pixels"u8.ToArray(), refused, "not a supported image format"),
            new("script-as.jpg", "#!/bin/sh\nrm -rf /\n"u8.ToArray(), refused, "not a supported image format"),
            new("zip-as.png", Zip(z => Add(z, "a.png", png)), refused, "not a supported image format"),
            new("elf-as.bmp", [0x7F, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0], refused, "not a supported image format"),
            new("program.exe", [0x4D, 0x5A, 0x90, 0], refused, "not an image"),
            new("noextension", png, refused, "no extension"),
            new("nested.tar", [1, 2, 3], refused, ""),
            new("../escape.png", png, refused, "unsafe file name"),
            new("/etc/passwd.png", png, refused, "unsafe file name"),
        };
        // The animation is not refused: its first frame is the image (decoding stops there, so thousands of frames cost nothing).
        files.Add(new("animated-3000-frames.gif", Animation(3000), "accepted", ""));
        // A PNG named .jpg is still a PNG: decoders go by content.
        files.Add(new("png-named.jpg", Encode(Picture(seed: 11), new PngEncoder()), "accepted", ""));

        // Under the per-file limit, so it is the compression ratio that gives it away.
        files.Add(new("ratio-bomb.zip", Zip(z => Add(z, "zeros.png", new byte[50 * 1024 * 1024])), refused, "likely zip bomb"));
        files.Add(new("count-bomb.zip", Zip(z => { for (var i = 0; i <= 100_000; i++) Add(z, $"e{i}.png", [], CompressionLevel.NoCompression); }), refused, "more than 100000 entries"));
        return files;
    }

    /// <summary>One archive that mixes good entries with every kind of bad one, and what each entry must get.</summary>
    public static (byte[] Zip, IReadOnlyList<(string Entry, string Outcome, string Reason)> Expected) MixedArchive()
    {
        byte[] Png(int w, int h, int seed) => Encode(Picture(w, h, seed), new PngEncoder());
        var zip = Zip(z =>
        {
            Add(z, "ok/good.png", Png(64, 48, 21));
            Add(z, "../../up.png", Png(64, 48, 1));
            Add(z, "/abs/root.png", Png(64, 48, 2));
            Add(z, "C:/windows/win.png", Png(64, 48, 3));
            Add(z, "ok/../../back.png", Png(64, 48, 4));
            Add(z, "link.png", Encoding.UTF8.GetBytes("/etc/shadow"), unixMode: 0xA1FF);
            Add(z, "ok/twice.png", Png(64, 48, 22));
            Add(z, "ok/twice.png", Png(64, 48, 23));
            Add(z, "inner.zip", Zip(i => Add(i, "x.png", Png(64, 48, 5))));
            Add(z, "test/good/000.png", Png(32, 32, 24));
            Add(z, "test/crack/000.png", Png(32, 32, 25));
            Add(z, "ground_truth/crack/000_mask.png", Encode(new Image<Rgb24>(64, 64), new PngEncoder()));
            Add(z, "test/crack/001.png", Png(32, 32, 26));
            Add(z, "ground_truth/crack/001_mask.png", UploadTestFiles.HugePngHeader(60_000, 60_000));
        });
        return (zip,
        [
            ("ok/good.png", "accepted", ""),
            ("../../up.png", "refused", "unsafe path in the archive"),
            ("/abs/root.png", "refused", "unsafe path in the archive"),
            ("C:/windows/win.png", "refused", "unsafe path in the archive"),
            ("ok/../../back.png", "refused", "unsafe path in the archive"),
            ("link.png", "refused", "symbolic link"),
            ("inner.zip", "refused", "on its own"),
            ("test/good/000.png", "accepted", ""),
            ("test/crack/000.png", "accepted", ""),
            ("ground_truth/crack/000_mask.png", "refused", "mask is 64x64"),
            ("test/crack/001.png", "accepted", ""),
            ("ground_truth/crack/001_mask.png", "refused", "over the limit of"),
        ]);
    }
}
