namespace FunAd.Engine.Io;

/// <summary>Constants of the NumPy .npy file format shared by <see cref="NpyWriter"/> and <see cref="NpyReader"/>.</summary>
internal static class NpyFormat
{
    /// <summary>"\x93NUMPY": the first byte is not ASCII, so it is spelled out byte by byte.</summary>
    public static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Bytes before the header text in version 1.0: magic, major and minor version, uint16 header length.</summary>
    public const int PreambleV1 = 10;
}
