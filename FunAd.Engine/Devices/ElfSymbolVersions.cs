using System.Buffers.Binary;
using System.Text;

namespace FunAd.Engine.Devices;

/// <summary>One symbol version that a shared library requires from another (an ELF Vernaux entry).</summary>
public sealed record VersionRequirement(string Library, string Version, bool IsWeak, int FlagsOffset);

/// <summary>
/// Reads and edits the GNU symbol-version tables of a 64-bit little-endian ELF file: the versions a
/// library needs (.gnu.version_r) and the versions it defines (.gnu.version_d). Just enough ELF to
/// load a prebuilt native library on a host whose libstdc++ is older than the one it was built with.
/// </summary>
public static class ElfSymbolVersions
{
    private const uint ShtGnuVerdef = 0x6ffffffd;
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlagWeak = 0x2;

    public static IReadOnlyList<VersionRequirement> ReadRequirements(ReadOnlySpan<byte> elf)
    {
        var result = new List<VersionRequirement>();
        if (!TryFindSection(elf, ShtGnuVerneed, out var section)) return result;
        var offset = (int)section.Offset;
        for (var i = 0; i < section.Info; i++)
        {
            var count = U16(elf, offset + 2);
            var library = ReadString(elf, section.StringTable, U32(elf, offset + 4));
            var auxOffset = offset + (int)U32(elf, offset + 8);
            for (var j = 0; j < count; j++)
            {
                var flags = U16(elf, auxOffset + 4);
                var version = ReadString(elf, section.StringTable, U32(elf, auxOffset + 8));
                result.Add(new VersionRequirement(library, version, (flags & VerFlagWeak) != 0, auxOffset + 4));
                auxOffset += (int)U32(elf, auxOffset + 12);
            }
            var next = U32(elf, offset + 12);
            if (next == 0) break;
            offset += (int)next;
        }
        return result;
    }

    public static IReadOnlySet<string> ReadDefinitions(ReadOnlySpan<byte> elf)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        if (!TryFindSection(elf, ShtGnuVerdef, out var section)) return result;
        var offset = (int)section.Offset;
        for (var i = 0; i < section.Info; i++)
        {
            var auxOffset = offset + (int)U32(elf, offset + 12);
            result.Add(ReadString(elf, section.StringTable, U32(elf, auxOffset)));
            var next = U32(elf, offset + 16);
            if (next == 0) break;
            offset += (int)next;
        }
        return result;
    }

    /// <summary>Sets VER_FLG_WEAK on a requirement, so the loader only warns when the version is absent.</summary>
    public static void MarkWeak(Span<byte> elf, VersionRequirement requirement)
    {
        var flags = U16(elf, requirement.FlagsOffset);
        BinaryPrimitives.WriteUInt16LittleEndian(elf[requirement.FlagsOffset..], (ushort)(flags | VerFlagWeak));
    }

    private readonly record struct VersionSection(ulong Offset, uint Info, ulong StringTable);

    private static bool TryFindSection(ReadOnlySpan<byte> elf, uint type, out VersionSection section)
    {
        section = default;
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("Not an ELF file.");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("Only 64-bit little-endian ELF files are supported.");
        var sectionTable = (int)U64(elf, 0x28);
        var entrySize = U16(elf, 0x3A);
        var count = U16(elf, 0x3C);
        for (var i = 0; i < count; i++)
        {
            var header = sectionTable + i * entrySize;
            if (U32(elf, header + 4) != type) continue;
            var link = U32(elf, header + 40);
            var stringTable = U64(elf, sectionTable + (int)link * entrySize + 24);
            section = new VersionSection(U64(elf, header + 24), U32(elf, header + 44), stringTable);
            return true;
        }
        return false;
    }

    private static string ReadString(ReadOnlySpan<byte> elf, ulong table, uint offset)
    {
        var start = (int)(table + offset);
        var length = elf[start..].IndexOf((byte)0);
        return Encoding.ASCII.GetString(elf.Slice(start, length));
    }

    private static ushort U16(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt16LittleEndian(b[at..]);
    private static uint U32(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt32LittleEndian(b[at..]);
    private static ulong U64(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt64LittleEndian(b[at..]);
}
