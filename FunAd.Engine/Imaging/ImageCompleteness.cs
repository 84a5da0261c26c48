using System.Buffers.Binary;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Webp;

namespace FunAd.Engine.Imaging;

/// <summary>
/// Whether an image file is whole. ImageSharp decodes a cut JPEG, BMP, GIF or WebP without complaint
/// (the missing part comes out grey or black), and such an image would poison training, so each
/// format's own structure is checked: JPEG's end-of-image marker after the scan, a BMP's pixel array,
/// GIF's trailer, the sizes of WebP's RIFF chunks. PNG needs nothing here (its chunks carry CRCs,
/// which the decoder checks) and TIFF's strip offsets are checked by its decoder. Random bytes in
/// place of pixels of a format without checksums (uncompressed BMP, lossy WebP) remain undetectable.
/// </summary>
public static class ImageCompleteness
{
    /// <summary>The reason the file is not whole, or null when it is (or the format has no check here).</summary>
    public static string? Problem(IImageFormat format, ReadOnlySpan<byte> data) => format switch
    {
        JpegFormat => Jpeg(data),
        BmpFormat => Bmp(data),
        GifFormat => Gif(data),
        WebpFormat => Webp(data),
        _ => null,
    };

    private static string? Jpeg(ReadOnlySpan<byte> data)
    {
        // Walk the marker segments to the first start-of-scan; the end-of-image marker must follow it
        // (in entropy-coded data a 0xFF byte is always stuffed, so FF D9 there is the real marker;
        // an EXIF thumbnail's own EOI comes before the scan and is not counted).
        var at = 2;
        while (at + 4 <= data.Length)
        {
            if (data[at] != 0xFF) return "file is truncated or corrupt: JPEG marker expected";
            var marker = data[at + 1];
            if (marker == 0xFF) { at++; continue; }
            var length = BinaryPrimitives.ReadUInt16BigEndian(data[(at + 2)..]);
            if (at + 2 + length > data.Length) return "file is truncated: a JPEG segment runs past the end of the file";
            if (marker == 0xDA)
                return data[(at + 2 + length)..].IndexOf((ReadOnlySpan<byte>)[0xFF, 0xD9]) >= 0 ? null : "file is truncated: the JPEG has no end-of-image marker";
            at += 2 + length;
        }
        return "file is truncated: the JPEG ends before its image data";
    }

    private static string? Bmp(ReadOnlySpan<byte> data)
    {
        if (data.Length < 34) return "file is truncated: the BMP header is incomplete";
        var offset = BinaryPrimitives.ReadUInt32LittleEndian(data[10..]);
        var headerSize = BinaryPrimitives.ReadUInt32LittleEndian(data[14..]);
        if (headerSize < 40) return null; // OS/2 core headers: rare, left to the decoder
        long width = BinaryPrimitives.ReadInt32LittleEndian(data[18..]);
        long height = Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(data[22..]));
        var bits = BinaryPrimitives.ReadUInt16LittleEndian(data[28..]);
        var compression = BinaryPrimitives.ReadUInt32LittleEndian(data[30..]);
        // Only uncompressed layouts (RGB, bit fields) have a size known from the header.
        if (compression is not (0 or 3 or 6)) return null;
        var stride = (bits * width + 31) / 32 * 4;
        var needed = offset + stride * height;
        return data.Length >= needed ? null : $"file is truncated: the BMP's pixels need {needed} bytes, the file has {data.Length}";
    }

    private static string? Gif(ReadOnlySpan<byte> data)
    {
        // Some writers pad after the trailer; the last byte that is not padding must be the trailer (0x3B).
        var end = data.Length - 1;
        while (end > 0 && data[end] == 0) end--;
        return data[end] == 0x3B ? null : "file is truncated or corrupt: the GIF has no trailer";
    }

    private static string? Webp(ReadOnlySpan<byte> data)
    {
        if (data.Length < 20) return "file is truncated: the WebP header is incomplete";
        var riff = (long)BinaryPrimitives.ReadUInt32LittleEndian(data[4..]) + 8;
        if (riff > data.Length) return $"file is truncated: the WebP declares {riff} bytes, the file has {data.Length}";
        // Every chunk inside the RIFF container must fit in it.
        long at = 12;
        while (at + 8 <= riff)
        {
            var size = (long)BinaryPrimitives.ReadUInt32LittleEndian(data[(int)(at + 4)..]);
            var next = at + 8 + size + (size & 1);
            if (at + 8 + size > riff) return "file is truncated or corrupt: a WebP chunk runs past the end of the file";
            at = next;
        }
        return null;
    }
}
