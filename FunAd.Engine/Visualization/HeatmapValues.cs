using System.Buffers.Binary;

namespace FunAd.Engine.Visualization;

/// <summary>
/// An anomaly map's values as a small file, so that a page can colour it itself: at its own range or
/// the run's, with outlines where it crosses a threshold. Little-endian: "FAM1", width and height as
/// uint16, the range as two float32, then width x height uint16 levels spread evenly over the range
/// (65,536 levels: finer than any screen tells apart, a quarter of the size of float32).
/// </summary>
public static class HeatmapValues
{
    private static ReadOnlySpan<byte> Magic => "FAM1"u8;
    private const int HeaderBytes = 16;

    public static byte[] Encode(float[] map, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(map);
        if (width is <= 0 or > ushort.MaxValue || height is <= 0 or > ushort.MaxValue || map.Length != width * height)
            throw new ArgumentException($"Expected {width}x{height} values (sides 1..65535), got {map.Length}.", nameof(map));
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (var value in map)
        {
            if (!float.IsFinite(value)) continue;
            min = Math.Min(min, value);
            max = Math.Max(max, value);
        }
        if (min > max) (min, max) = (0, 0);
        var bytes = new byte[HeaderBytes + 2 * map.Length];
        Magic.CopyTo(bytes);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(4), (ushort)width);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(6), (ushort)height);
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(8), min);
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(12), max);
        var span = max > min ? max - min : 1f;
        for (var i = 0; i < map.Length; i++)
        {
            var t = float.IsFinite(map[i]) ? Math.Clamp((map[i] - min) / span, 0f, 1f) : 0f;
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(HeaderBytes + 2 * i), (ushort)MathF.Round(t * ushort.MaxValue));
        }
        return bytes;
    }

    /// <summary>The values back (to within the range / 65,535), with the map's size.</summary>
    public static (float[] Values, int Width, int Height) Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderBytes || !bytes[..4].SequenceEqual(Magic)) throw new FormatException("Not a heatmap values file (no FAM1 header).");
        int width = BinaryPrimitives.ReadUInt16LittleEndian(bytes[4..]), height = BinaryPrimitives.ReadUInt16LittleEndian(bytes[6..]);
        float min = BinaryPrimitives.ReadSingleLittleEndian(bytes[8..]), max = BinaryPrimitives.ReadSingleLittleEndian(bytes[12..]);
        if (bytes.Length != HeaderBytes + 2 * width * height) throw new FormatException($"A {width}x{height} values file has {HeaderBytes + 2 * width * height} bytes, this one {bytes.Length}.");
        var values = new float[width * height];
        for (var i = 0; i < values.Length; i++)
            values[i] = min + (max - min) * BinaryPrimitives.ReadUInt16LittleEndian(bytes[(HeaderBytes + 2 * i)..]) / ushort.MaxValue;
        return (values, width, height);
    }
}
