using System.IO.Compression;

namespace FunAd.Jobs.Uploads;

/// <summary>What a zip entry is beyond its name: zips made on Unix keep the file mode in the high 16 bits of the external attributes.</summary>
public static class ZipEntryKinds
{
    private const int FileTypeMask = 0xF000;
    private const int SymbolicLink = 0xA000;

    public static bool IsSymbolicLink(ZipArchiveEntry entry) => ((entry.ExternalAttributes >> 16) & FileTypeMask) == SymbolicLink;
}
