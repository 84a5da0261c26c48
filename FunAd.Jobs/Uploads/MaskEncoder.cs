using FunAd.Engine.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace FunAd.Jobs.Uploads;

/// <summary>
/// Stores ground-truth masks in one form whatever they were uploaded as: an 8-bit grey PNG with 255
/// where any channel of the upload was above 0 (defect) and 0 elsewhere, so evaluation never has to
/// guess a threshold or a colour convention.
/// </summary>
internal static class MaskEncoder
{
    public static byte[] EncodeBinary(RgbImage mask)
    {
        using var image = new Image<L8>(SingleThreadedImaging.Configuration, mask.Width, mask.Height);
        var pixels = mask.Pixels;
        image.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                int o = 3 * y * mask.Width;
                for (int x = 0; x < row.Length; x++, o += 3)
                {
                    row[x] = new L8(pixels[o] > 0 || pixels[o + 1] > 0 || pixels[o + 2] > 0 ? (byte)255 : (byte)0);
                }
            }
        });
        using var output = new MemoryStream();
        image.SaveAsPng(output, new PngEncoder { ColorType = PngColorType.Grayscale, BitDepth = PngBitDepth.Bit8 });
        return output.ToArray();
    }
}
