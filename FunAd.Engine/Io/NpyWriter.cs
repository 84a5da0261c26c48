using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace FunAd.Engine.Io;

/// <summary>
/// Writes 2-D float32 arrays as NumPy .npy (format version 1.0), so anomaly maps can be opened with
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
    public static void WriteFloat32(Stream stream, float[] data, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegative(height);
        ArgumentOutOfRangeException.ThrowIfNegative(width);
        if ((long)height * width != data.Length)
        {
            throw new ArgumentException($"Expected {height}x{width} = {(long)height * width} values, got {data.Length}.", nameof(data));
        }
        // The data is written as it lies in memory, which is the '<f4' (little-endian) it declares.
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("NpyWriter needs a little-endian machine.");

        string dict = string.Create(CultureInfo.InvariantCulture,
            $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({height}, {width}), }}");
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
}
