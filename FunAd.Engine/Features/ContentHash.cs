using System.Security.Cryptography;

namespace FunAd.Engine.Features;

/// <summary>
/// An image file's identity: the lower-case hex SHA-256 of its bytes. Training records it, uploads
/// deduplicate by it, and scoring tells a memory bank's training images by it, so all must compute it alike.
/// </summary>
public static class ContentHash
{
    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
