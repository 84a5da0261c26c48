using System.Buffers.Binary;
using System.Text;
using FunAd.Engine.Io;
using FunAd.Tests.Support;

namespace FunAd.Tests.Io;

public sealed class NpyTests : IDisposable
{
    private readonly TemporaryFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static readonly float[] Values = [0f, 1.5f, -2.25f, float.MaxValue, 1e-30f, 42f];

    [Fact]
    public void Round_trips_through_the_reader()
    {
        string path = _temp.Combine("map.npy");

        NpyWriter.WriteFloat32(path, Values, 2, 3);
        var (data, shape) = NpyReader.ReadFloat32(path);

        Assert.Equal(Values, data);
        Assert.Equal([2, 3], shape);
    }

    [Fact]
    public void Writes_a_version_1_header_that_aligns_the_data_to_64_bytes()
    {
        using var stream = new MemoryStream();
        NpyWriter.WriteFloat32(stream, Values, 2, 3);
        byte[] bytes = stream.ToArray();

        Assert.Equal(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 }, bytes[..8]);
        int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8, 2));
        int dataOffset = 10 + headerLength;
        Assert.Equal(0, dataOffset % 64);
        string header = Encoding.ASCII.GetString(bytes, 10, headerLength);
        Assert.StartsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", header);
        Assert.EndsWith("\n", header);
        Assert.Equal(bytes.Length, dataOffset + 4 * Values.Length);
        for (int i = 0; i < Values.Length; i++)
        {
            Assert.Equal(Values[i], BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(dataOffset + 4 * i, 4)));
        }
    }

    [Fact]
    public void Refuses_data_that_does_not_match_the_shape()
    {
        Assert.Throws<ArgumentException>(() => NpyWriter.WriteFloat32(new MemoryStream(), Values, 2, 2));
    }

    [Fact]
    public void Reader_refuses_a_file_that_is_not_npy()
    {
        string path = _temp.Combine("not.npy");
        File.WriteAllBytes(path, Encoding.ASCII.GetBytes("definitely not numpy data"));

        Assert.Throws<InvalidDataException>(() => NpyReader.ReadFloat32(path));
    }

    [Fact]
    public void Reader_refuses_another_dtype()
    {
        string path = _temp.Combine("f8.npy");
        using (var stream = new MemoryStream())
        {
            NpyWriter.WriteFloat32(stream, Values, 2, 3);
            // Latin-1 maps every byte to one char and back, so only the dtype text changes.
            File.WriteAllBytes(path, Encoding.Latin1.GetBytes(Encoding.Latin1.GetString(stream.ToArray()).Replace("<f4", "<f8")));
        }

        var error = Assert.Throws<InvalidDataException>(() => NpyReader.ReadFloat32(path));
        Assert.Contains("'<f8'", error.Message);
    }
}
