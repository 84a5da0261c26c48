using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace FunAd.Engine.Io;

/// <summary>
/// Reads C-ordered little-endian float32 NumPy .npy files (such as those of <see cref="NpyWriter"/>),
/// for tests and tools that compare maps.
/// </summary>
public static partial class NpyReader
{
    /// <summary>Reads the array in <paramref name="path"/>: its values in row-major order and its shape.</summary>
    /// <exception cref="InvalidDataException">Not an .npy file, or not C-ordered little-endian float32.</exception>
    public static (float[] Data, int[] Shape) ReadFloat32(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("NpyReader needs a little-endian machine.");
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);

        Span<byte> preamble = stackalloc byte[NpyFormat.PreambleV1];
        stream.ReadExactly(preamble);
        if (!preamble[..NpyFormat.Magic.Length].SequenceEqual(NpyFormat.Magic))
        {
            throw new InvalidDataException($"{path}: not a NumPy .npy file.");
        }

        // Version 1 stores the header length in 2 bytes; versions 2 and 3 (for huge headers) in 4,
        // of which two were already read as part of the version 1 preamble.
        int headerLength = preamble[6] switch
        {
            1 => BinaryPrimitives.ReadUInt16LittleEndian(preamble[8..]),
            2 or 3 => ReadUInt32Header(stream, preamble[8..]),
            var major => throw new InvalidDataException($"{path}: unsupported .npy version {major}."),
        };
        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        string header = Encoding.UTF8.GetString(headerBytes);

        string descr = DescrPattern().Match(header) is { Success: true } d ? d.Groups[1].Value : "";
        if (descr != "<f4") throw new InvalidDataException($"{path}: dtype is '{descr}', expected '<f4' (little-endian float32).");
        if (!FortranOrderPattern().Match(header).Success) throw new InvalidDataException($"{path}: only C-ordered arrays (fortran_order False) are supported.");
        var shapeMatch = ShapePattern().Match(header);
        if (!shapeMatch.Success) throw new InvalidDataException($"{path}: header has no shape.");

        int[] shape = shapeMatch.Groups[1].Value
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.Parse(s, CultureInfo.InvariantCulture))
            .ToArray();
        long count = shape.Aggregate(1L, (product, dim) => product * dim);
        if (count > Array.MaxLength) throw new InvalidDataException($"{path}: {count} values are too many to load into one array.");

        var data = new float[count];
        stream.ReadExactly(MemoryMarshal.AsBytes(data.AsSpan()));
        return (data, shape);
    }

    private static int ReadUInt32Header(Stream stream, ReadOnlySpan<byte> firstTwo)
    {
        Span<byte> length = stackalloc byte[4];
        firstTwo.CopyTo(length);
        stream.ReadExactly(length[2..]);
        return checked((int)BinaryPrimitives.ReadUInt32LittleEndian(length));
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*False")]
    private static partial Regex FortranOrderPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
