using FunAd.Engine.Devices;

namespace FunAd.Tests.Devices;

public class TorchSharpNativeFixTests
{
    private static string ShippedLibrary =>
        Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", TorchSharpNativeFix.LibraryFileName);

    [Fact]
    public void Reads_the_libstdcxx_versions_the_shipped_library_requires()
    {
        var requirements = ElfSymbolVersions.ReadRequirements(File.ReadAllBytes(ShippedLibrary));

        Assert.Contains(requirements, r => r.Library == "libstdc++.so.6" && r.Version == "GLIBCXX_3.4.32");
        Assert.Contains(requirements, r => r.Library == "libc.so.6" && r.Version.StartsWith("GLIBC_2."));
    }

    [Fact]
    public void Reads_the_versions_the_host_libstdcxx_defines()
    {
        var host = TorchSharpNativeFix.FindHostLibStdCxx();
        Assert.NotNull(host);

        var definitions = ElfSymbolVersions.ReadDefinitions(File.ReadAllBytes(host));

        Assert.Contains("GLIBCXX_3.4", definitions);
        Assert.Contains("CXXABI_1.3", definitions);
    }

    [Fact]
    public void Marking_a_requirement_weak_changes_only_that_entry()
    {
        var bytes = File.ReadAllBytes(ShippedLibrary);
        var before = ElfSymbolVersions.ReadRequirements(bytes);
        var target = before.Single(r => r.Version == "GLIBCXX_3.4.32");

        ElfSymbolVersions.MarkWeak(bytes, target);

        var after = ElfSymbolVersions.ReadRequirements(bytes);
        Assert.True(after.Single(r => r.Version == "GLIBCXX_3.4.32").IsWeak);
        Assert.Equal(before.Where(r => r != target).Select(r => (r.Version, r.IsWeak)),
                     after.Where(r => r.Version != "GLIBCXX_3.4.32").Select(r => (r.Version, r.IsWeak)));
    }

    [Fact]
    public void Apply_patches_a_copy_exactly_when_the_host_lacks_the_version()
    {
        var host = TorchSharpNativeFix.FindHostLibStdCxx()!;
        var hostHasIt = ElfSymbolVersions.ReadDefinitions(File.ReadAllBytes(host)).Contains("GLIBCXX_3.4.32");
        var directory = Directory.CreateTempSubdirectory("funad-elf-");
        var copy = Path.Combine(directory.FullName, TorchSharpNativeFix.LibraryFileName);
        File.Copy(ShippedLibrary, copy);
        var original = File.ReadAllBytes(copy);
        // The shipped copy may already be patched by an earlier load; start from the unpatched state.
        foreach (var r in ElfSymbolVersions.ReadRequirements(original).Where(r => r.Version == "GLIBCXX_3.4.32"))
            original[r.FlagsOffset] &= 0xFD;
        File.WriteAllBytes(copy, original);

        var outcome = TorchSharpNativeFix.Apply([copy], host);

        var weak = ElfSymbolVersions.ReadRequirements(File.ReadAllBytes(copy)).Single(r => r.Version == "GLIBCXX_3.4.32").IsWeak;
        Assert.Equal(!hostHasIt, weak);
        Assert.Contains(hostHasIt ? "not needed" : "patched", outcome);
        Assert.Contains(hostHasIt ? "not needed" : "already patched", TorchSharpNativeFix.Apply([copy], host));
        Assert.Single(directory.GetFiles());
        directory.Delete(recursive: true);
    }

    [Fact]
    public void Rejects_a_file_that_is_not_elf()
    {
        Assert.Throws<InvalidDataException>(() => ElfSymbolVersions.ReadRequirements("not an elf file at all, just text."u8.ToArray().Concat(new byte[64]).ToArray()));
    }
}
