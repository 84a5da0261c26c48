namespace FunAd.Engine.Devices;

/// <summary>
/// TorchSharp 0.107's libLibTorchSharp.so is built with GCC 13 and declares a need for
/// GLIBCXX_3.4.32, which Debian 12's libstdc++ lacks. Its only symbol of that version is never
/// relocated, so marking the requirement weak is safe. This patches the application's own copy
/// of the library, only when the host's libstdc++ lacks the version, before TorchSharp loads it.
/// </summary>
public static class TorchSharpNativeFix
{
    public const string LibraryFileName = "libLibTorchSharp.so";

    /// <summary>The only requirements checked to be safe to weaken (no relocation uses them).</summary>
    private static readonly HashSet<string> SafeToWeaken = new(StringComparer.Ordinal) { "GLIBCXX_3.4.32" };

    private static readonly Lock Gate = new();
    private static bool _done;

    /// <summary>What the last <see cref="EnsureApplied"/> did, for the start-up log and the home page.</summary>
    public static string Outcome { get; private set; } = "not checked";

    public static void EnsureApplied()
    {
        lock (Gate)
        {
            if (_done) return;
            NativeThreading.PreferPassiveWaiting();
            Outcome = Apply(FindLibraries(AppContext.BaseDirectory), FindHostLibStdCxx());
            _done = true;
        }
    }

    /// <summary>Patches each library in place as needed against the host libstdc++ given; returns what was done.</summary>
    public static string Apply(IEnumerable<string> libraries, string? hostLibStdCxx)
    {
        if (!OperatingSystem.IsLinux()) return "not needed (not Linux)";
        if (hostLibStdCxx is null) return "skipped (host libstdc++ not found)";
        var hostVersions = ElfSymbolVersions.ReadDefinitions(File.ReadAllBytes(hostLibStdCxx));
        var outcomes = new List<string>();
        foreach (var library in libraries)
            outcomes.Add(PatchOne(library, hostVersions));
        return outcomes.Count == 0 ? "not needed (library not found beside the application)" : string.Join("; ", outcomes);
    }

    private static string PatchOne(string library, IReadOnlySet<string> hostVersions)
    {
        var bytes = File.ReadAllBytes(library);
        var absent = ElfSymbolVersions.ReadRequirements(bytes)
            .Where(r => r.Library == "libstdc++.so.6" && !hostVersions.Contains(r.Version))
            .ToList();
        var missing = absent.Where(r => !r.IsWeak).ToList();
        if (missing.Count == 0)
            return absent.Count == 0
                ? $"not needed ({Path.GetFileName(library)} loads as is)"
                : $"already patched ({string.Join(", ", absent.Select(a => a.Version))} weak in {Path.GetFileName(library)})";
        var unsafeOnes = missing.Where(r => !SafeToWeaken.Contains(r.Version)).Select(r => r.Version).ToList();
        if (unsafeOnes.Count > 0)
            throw new PlatformNotSupportedException(
                $"{library} needs {string.Join(", ", unsafeOnes)} from libstdc++.so.6, which this host lacks; install a newer libstdc++ (GCC 13 or later).");
        foreach (var requirement in missing) ElfSymbolVersions.MarkWeak(bytes, requirement);
        // Write beside and rename, so a concurrent process never sees a half-written library.
        var temporary = $"{library}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            File.WriteAllBytes(temporary, bytes);
            File.Move(temporary, library, overwrite: true);
        }
        catch (UnauthorizedAccessException e)
        {
            File.Delete(temporary);
            throw new UnauthorizedAccessException(
                $"{library} must be patched for this host's libstdc++ but is not writable; run the application once as its owner.", e);
        }
        return $"patched {Path.GetFileName(library)} ({string.Join(", ", missing.Select(m => m.Version))} marked weak)";
    }

    private static IEnumerable<string> FindLibraries(string baseDirectory)
    {
        string[] candidates =
        [
            Path.Combine(baseDirectory, "runtimes", "linux-x64", "native", LibraryFileName),
            Path.Combine(baseDirectory, LibraryFileName),
        ];
        return candidates.Where(File.Exists);
    }

    /// <summary>The libstdc++ this process already has mapped (the .NET host links it), else the usual places.</summary>
    public static string? FindHostLibStdCxx()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/maps"))
            {
                var at = line.IndexOf('/');
                if (at < 0) continue;
                var path = line[at..].Trim();
                if (Path.GetFileName(path).StartsWith("libstdc++.so.6", StringComparison.Ordinal)) return path;
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        string[] usual = ["/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6"];
        return usual.FirstOrDefault(File.Exists);
    }
}
