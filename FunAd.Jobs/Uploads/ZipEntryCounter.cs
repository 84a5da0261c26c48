using System.Buffers.Binary;

namespace FunAd.Jobs.Uploads;

/// <summary>
/// Counts a zip's central-directory entries without materialising them. ZipArchive builds an object per
/// entry before anyone can look at the count, and it reads headers for as long as their signature
/// matches rather than trusting the declared count, so a few hundred MiB of crafted headers would cost
/// gigabytes. This walk reads the headers the same way with constant memory and stops past the limit.
/// </summary>
internal static class ZipEntryCounter
{
    private const uint EndOfCentralDirectorySignature = 0x06054b50;
    private const uint Zip64LocatorSignature = 0x07064b50;
    private const uint Zip64EndOfCentralDirectorySignature = 0x06064b50;
    private const uint CentralDirectoryHeaderSignature = 0x02014b50;
    private const int EndOfCentralDirectoryBytes = 22;
    private const int Zip64LocatorBytes = 20;
    private const int Zip64EndOfCentralDirectoryBytes = 56;
    private const int CentralDirectoryHeaderBytes = 46;
    private const int MaxCommentBytes = ushort.MaxValue;

    /// <summary>
    /// The number of central-directory headers, counting no further than <paramref name="stopAfter"/> + 1;
    /// null when the stream has no end-of-central-directory record (it is not a zip).
    /// </summary>
    public static long? Count(Stream zip, long stopAfter)
    {
        if (FindEndOfCentralDirectory(zip) is not { } end) return null;
        var record = ReadAt(zip, end, EndOfCentralDirectoryBytes);
        if (record is null) return null;
        long start = BinaryPrimitives.ReadUInt32LittleEndian(record.AsSpan(16));
        ushort declaredEntries = BinaryPrimitives.ReadUInt16LittleEndian(record.AsSpan(10));

        // Zip64 archives keep the real offset in a second record that a locator just before this one points to.
        if ((start == uint.MaxValue || declaredEntries == ushort.MaxValue) && end >= Zip64LocatorBytes
            && ReadAt(zip, end - Zip64LocatorBytes, Zip64LocatorBytes) is { } locator
            && BinaryPrimitives.ReadUInt32LittleEndian(locator) == Zip64LocatorSignature)
        {
            ulong zip64End = BinaryPrimitives.ReadUInt64LittleEndian(locator.AsSpan(8));
            if (zip64End < (ulong)zip.Length
                && ReadAt(zip, (long)zip64End, Zip64EndOfCentralDirectoryBytes) is { } zip64
                && BinaryPrimitives.ReadUInt32LittleEndian(zip64) == Zip64EndOfCentralDirectorySignature)
            {
                ulong zip64Start = BinaryPrimitives.ReadUInt64LittleEndian(zip64.AsSpan(48));
                start = zip64Start < (ulong)zip.Length ? (long)zip64Start : zip.Length;
            }
        }

        long count = 0;
        long position = start;
        while (count <= stopAfter && ReadAt(zip, position, CentralDirectoryHeaderBytes) is { } header
               && BinaryPrimitives.ReadUInt32LittleEndian(header) == CentralDirectoryHeaderSignature)
        {
            count++;
            position += CentralDirectoryHeaderBytes
                + BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(28))   // name
                + BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(30))   // extra field
                + BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(32));  // comment
        }
        return count;
    }

    /// <summary>The last end-of-central-directory signature, searched back over the longest possible comment.</summary>
    private static long? FindEndOfCentralDirectory(Stream zip)
    {
        long tailStart = Math.Max(0, zip.Length - EndOfCentralDirectoryBytes - MaxCommentBytes);
        var tail = ReadAt(zip, tailStart, (int)(zip.Length - tailStart));
        if (tail is null) return null;
        for (int i = tail.Length - EndOfCentralDirectoryBytes; i >= 0; i--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(i)) == EndOfCentralDirectorySignature) return tailStart + i;
        }
        return null;
    }

    /// <summary>Exactly <paramref name="count"/> bytes at <paramref name="offset"/>, or null past the end.</summary>
    private static byte[]? ReadAt(Stream zip, long offset, int count)
    {
        if (offset < 0 || count < 0 || offset > zip.Length - count) return null;
        zip.Position = offset;
        var bytes = new byte[count];
        zip.ReadExactly(bytes);
        return bytes;
    }
}
