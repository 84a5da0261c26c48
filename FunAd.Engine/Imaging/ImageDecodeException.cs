namespace FunAd.Engine.Imaging;

/// <summary>An image that cannot be used, with the file it came from and why.</summary>
public sealed class ImageDecodeException(string fileName, string reason, Exception? inner = null)
    : Exception($"{fileName}: {reason}", inner)
{
    public string FileName { get; } = fileName;
    public string Reason { get; } = reason;
}
