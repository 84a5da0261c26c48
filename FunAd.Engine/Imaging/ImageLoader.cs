using System.Globalization;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace FunAd.Engine.Imaging;

/// <summary>
/// Decodes untrusted image files into upright <see cref="RgbImage"/>s, refusing anything over
/// <see cref="DecodeLimits"/> before the expensive work is done.
/// </summary>
public static class ImageLoader
{
    private const string SupportedFormats = "PNG, JPEG, BMP, GIF, TIFF, TGA, WebP, PBM";

    /// <summary>
    /// File extensions (lower case, with the dot) of the formats <see cref="Load(string, DecodeLimits)"/>
    /// decodes, for picking images out of a directory.
    /// </summary>
    public static IReadOnlyList<string> SupportedExtensions { get; } =
        [".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".tga", ".webp", ".pbm", ".pgm", ".ppm"];

    /// <summary>The size an image's header declares, read without decoding pixels; null when the header cannot be read.</summary>
    public static (int Width, int Height)? DeclaredSize(byte[] data)
    {
        try
        {
            return Image.Identify(CreateConfiguration(DecodeLimits.Default), data, out _) is { } info ? (info.Width, info.Height) : null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null;
        }
    }

    /// <summary>Loads the image at <paramref name="path"/>; errors name the path as given.</summary>
    /// <exception cref="ImageDecodeException">The file is empty, too large, corrupt or of an unsupported format.</exception>
    public static RgbImage Load(string path, DecodeLimits limits)
    {
        ArgumentNullException.ThrowIfNull(path);
        // The path as given, not just its file name: a batch job must say which of many files failed.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        return Load(stream, path, limits);
    }

    /// <summary>A file's bytes, for hashing and decoding from one read; refused, naming <paramref name="name"/>, when over the size limit.</summary>
    /// <exception cref="ImageDecodeException">The file is larger than <see cref="DecodeLimits.MaxFileBytes"/>.</exception>
    public static byte[] ReadBytes(string path, string name, DecodeLimits limits)
    {
        var length = new FileInfo(path).Length;
        if (length > limits.MaxFileBytes)
            throw new ImageDecodeException(name, $"file is {length} bytes, over the limit of {limits.MaxFileBytes} bytes");
        return File.ReadAllBytes(path);
    }

    /// <summary>
    /// Loads an image from the rest of <paramref name="stream"/>; <paramref name="fileName"/> is only
    /// used to name the image in errors (for example the name of an upload).
    /// </summary>
    /// <exception cref="ImageDecodeException">The data is empty, too large, corrupt or of an unsupported format.</exception>
    public static RgbImage Load(Stream stream, string fileName, DecodeLimits limits)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentOutOfRangeException.ThrowIfLessThan(limits.MaxFrames, 1, nameof(limits));

        // Reading everything first (it is bounded by MaxFileBytes) means that any exception from the
        // decoder below is about the content, never about I/O.
        using var data = ReadBounded(stream, fileName, limits.MaxFileBytes);
        if (data.Length == 0) throw new ImageDecodeException(fileName, "file is empty");

        var configuration = CreateConfiguration(limits);
        try
        {
            // Identify reads only the headers, so an oversized image is refused before its pixels
            // are allocated. ImageSharp 2 does not report the frame count here; frames are capped by
            // the decoders instead (see CreateConfiguration).
            var info = Image.Identify(configuration, data, out var format)
                ?? throw new ImageDecodeException(fileName, UnsupportedFormatReason);
            long pixels = (long)info.Width * info.Height;
            if (pixels > limits.MaxPixels)
            {
                throw new ImageDecodeException(fileName, string.Create(CultureInfo.InvariantCulture,
                    $"image is {info.Width}x{info.Height} = {pixels} pixels, over the limit of {limits.MaxPixels}"));
            }

            // A cut file decodes "fine" in several formats, the missing part grey: refuse it here.
            if (ImageCompleteness.Problem(format, data.GetBuffer().AsSpan(0, (int)data.Length)) is { } problem)
                throw new ImageDecodeException(fileName, problem);

            data.Position = 0;
            // Decoding straight to Rgba32 handles every source layout (grey, 16-bit, palette, with or
            // without alpha) in one place; 16-bit channels are rounded to 8 bits, the output's depth.
            using var image = Image.Load<Rgba32>(configuration, data);
            image.Mutate(x => x.AutoOrient());
            return ToRgbOverBlack(image);
        }
        catch (UnknownImageFormatException)
        {
            throw new ImageDecodeException(fileName, UnsupportedFormatReason);
        }
        catch (NotSupportedException e)
        {
            throw new ImageDecodeException(fileName, $"uses a feature the decoder does not support: {e.Message}", e);
        }
        // Decoders fed malformed data throw all kinds of exceptions (format, end of stream, index out
        // of range...). The data is already in memory, so all of them mean "this file is bad" — except
        // our own ImageDecodeException and running out of memory, which must pass through unchanged.
        catch (Exception e) when (e is not (ImageDecodeException or OutOfMemoryException))
        {
            throw new ImageDecodeException(fileName, $"file is corrupt: {e.Message}", e);
        }
    }

    private static string UnsupportedFormatReason => $"not a supported image format ({SupportedFormats})";

    private static MemoryStream ReadBounded(Stream stream, string fileName, long maxBytes)
    {
        if (stream.CanSeek)
        {
            long length = stream.Length - stream.Position;
            if (length > maxBytes) throw TooLarge(fileName, length, maxBytes);
        }

        // Copy at most one byte past the limit: a stream that cannot tell its length, or that grows
        // while being read, is still cut off there.
        var data = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, maxBytes + 1 - data.Length))) > 0)
        {
            data.Write(buffer, 0, read);
            if (data.Length > maxBytes)
            {
                data.Dispose();
                throw TooLarge(fileName, null, maxBytes);
            }
        }

        data.Position = 0;
        return data;
    }

    private static ImageDecodeException TooLarge(string fileName, long? length, long maxBytes) =>
        new(fileName, length is { } known
            ? string.Create(CultureInfo.InvariantCulture, $"file is {known} bytes, over the limit of {maxBytes} bytes")
            : string.Create(CultureInfo.InvariantCulture, $"file is over the limit of {maxBytes} bytes"));

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, Configuration> Configurations = new();

    // Building a configuration (a clone of the default with its own decoders) costs more than decoding
    // a small image; it depends only on the frame limit.
    private static Configuration CreateConfiguration(DecodeLimits limits) => Configurations.GetOrAdd(limits.MaxFrames, NewConfiguration);

    private static Configuration NewConfiguration(int maxFrames)
    {
        // ImageSharp 2.1 has no global frame limit (DecoderOptions.MaxFrames came with 3.0), so each
        // multi-frame decoder is capped on a private copy of the default configuration.
        var configuration = Configuration.Default.Clone();
        // ImageSharp's default pool may keep a large share of the machine's memory after big images;
        // a server decoding untrusted uploads returns it instead.
        configuration.MemoryAllocator = SixLabors.ImageSharp.Memory.MemoryAllocator.Create(new SixLabors.ImageSharp.Memory.MemoryAllocatorOptions { MaximumPoolSizeMegabytes = 64 });
        // Images are decoded many at a time beside a backbone that uses every core; one thread each.
        configuration.MaxDegreeOfParallelism = 1;
        configuration.ImageFormatsManager.SetDecoder(GifFormat.Instance, new GifDecoder
        {
            MaxFrames = (uint)maxFrames,
        });
        // The TIFF decoder can only stop after the first frame or read all of them; the first is
        // within any limit and is the only frame the loader returns.
        configuration.ImageFormatsManager.SetDecoder(TiffFormat.Instance, new TiffDecoder
        {
            DecodingMode = FrameDecodingMode.First,
        });
        return configuration;
    }

    /// <summary>
    /// Composites over black (RGB multiplied by alpha) rather than dropping alpha: fully transparent
    /// pixels often hold arbitrary colours, which would otherwise reach the model.
    /// </summary>
    private static RgbImage ToRgbOverBlack(Image<Rgba32> image)
    {
        var pixels = new byte[checked(image.Width * image.Height * 3)];
        image.ProcessPixelRows(accessor =>
        {
            int o = 0;
            for (int y = 0; y < accessor.Height; y++)
            {
                foreach (var p in accessor.GetRowSpan(y))
                {
                    // Opaque pixels (nearly all) are copied: (v * 255 + 127) / 255 == v.
                    if (p.A == 255)
                    {
                        pixels[o++] = p.R;
                        pixels[o++] = p.G;
                        pixels[o++] = p.B;
                        continue;
                    }
                    pixels[o++] = (byte)((p.R * p.A + 127) / 255);
                    pixels[o++] = (byte)((p.G * p.A + 127) / 255);
                    pixels[o++] = (byte)((p.B * p.A + 127) / 255);
                }
            }
        });
        return new RgbImage(image.Width, image.Height, pixels);
    }
}
