using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace FunAd.Engine.Io;

/// <summary>
/// Writes float32 arrays as NumPy .npy (format version 1.0), so anomaly maps can be opened with
/// <c>numpy.load</c> and compared with reference implementations.
/// </summary>
public static class NpyWriter
{
    /// <summary>Writes <paramref name="data"/> (row-major, height*width values) to <paramref name="path"/>.</summary>
    public static void WriteFloat32(string path, float[] data, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write);
        WriteFloat32(stream, data, height, width);
    }

    /// <summary>Writes <paramref name="data"/> (row-major, height*width values) to <paramref name="stream"/>.</summary>
    public static void WriteFloat32(Stream stream, float[] data, int height, int width) => WriteFloat32(stream, data, [height, width]);

    /// <summary>Writes an array of any rank (row-major) to <paramref name="path"/>, e.g. model weights.</summary>
    public static void WriteFloat32(string path, float[] data, int[] shape)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write);
        WriteFloat32(stream, data, shape);
    }

    /// <summary>Writes an array of any rank (row-major) to <paramref name="stream"/>.</summary>
    public static void WriteFloat32(Stream stream, float[] data, int[] shape)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Any(d => d < 0)) throw new ArgumentOutOfRangeException(nameof(shape), "Dimensions must not be negative.");
        var count = shape.Aggregate(1L, (product, d) => product * d);
        if (count != data.Length)
        {
            throw new ArgumentException($"Expected {string.Join("x", shape)} = {count} values, got {data.Length}.", nameof(data));
        }
        // The data is written as it lies in memory, which is the '<f4' (little-endian) it declares.
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("NpyWriter needs a little-endian machine.");

        string dict = string.Create(CultureInfo.InvariantCulture,
            $"{{'descr': '<f4', 'fortran_order': False, 'shape': {ShapeTuple(shape)}, }}");
        // The format asks for the data to start on a 64-byte boundary (for memory mapping): pad the
        // header with spaces, ending it with '\n', up to the next multiple of 64.
        int headerLength = (NpyFormat.PreambleV1 + dict.Length + 1 + 63) / 64 * 64 - NpyFormat.PreambleV1;
        string header = dict.PadRight(headerLength - 1) + "\n";

        Span<byte> start = stackalloc byte[NpyFormat.PreambleV1];
        NpyFormat.Magic.CopyTo(start);
        start[6] = 1; // major version
        start[7] = 0; // minor version
        start[8] = (byte)headerLength; // little-endian uint16
        start[9] = (byte)(headerLength >> 8);
        stream.Write(start);
        stream.Write(Encoding.ASCII.GetBytes(header));
        stream.Write(MemoryMarshal.AsBytes(data.AsSpan()));
    }

    /// <summary>A Python tuple: "(3,)" for one dimension, "(2, 3)" for two.</summary>
    private static string ShapeTuple(int[] shape) =>
        shape.Length == 1 ? $"({shape[0]},)" : $"({string.Join(", ", shape)})";
}
