using System.Globalization;
using FunAd.Engine.MemoryBank;
using FunAd.Engine.Models;

namespace FunAd.Bench;

/// <summary>
/// Benchmark settings from "--name value" pairs ("--set name=value" may repeat); defaults are the ones
/// recorded in docs/benchmarks.md. Lists are comma-separated: --seeds 0,1 --methods patchcore,funad.
/// </summary>
public sealed record BenchOptions(string Work, int[] Seeds, int[] Classes, int? Train, double Contamination, double Coreset, int Images,
    string[] Methods, string Profile, string[] Sets, string[] Textures, string[] Protocols, string? Folder = null,
    int? TestNormal = null, int? TestAnomalous = null, bool Curves = false)
{
    /// <summary>The first seed, for the benchmarks that run one.</summary>
    public int Seed => Seeds[0];

    /// <summary>The first method, for the benchmarks that run one.</summary>
    public string Method => Methods.Length > 0 ? Methods[0] : throw new ArgumentException("This benchmark needs a method (--method NAME).");

    /// <summary>A comma-separated list of methods; "none" runs only the yardsticks (and --curves).</summary>
    private static string[] MethodList(string text) => text == "none" ? [] : text.Split(',');

    public static BenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>();
        var sets = new List<string>();
        var flags = new HashSet<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var key = args[i].TrimStart('-');
            if (key == "curves")
            {
                flags.Add(key);
                continue;
            }
            if (i + 1 >= args.Length) throw new ArgumentException($"--{key} needs a value.");
            if (key == "set") sets.Add(args[++i]);
            else values[key] = args[++i];
        }
        string Get(string key, string fallback) => values.GetValueOrDefault(key, fallback);
        int[] Integers(string text) => text.Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        int? Optional(string key) => values.TryGetValue(key, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : null;
        return new BenchOptions(
            Path.GetFullPath(Get("work", ".bench")),
            Integers(values.TryGetValue("seeds", out var seeds) ? seeds : Get("seed", "0")),
            Integers(Get("classes", "0,1,2,3,4,5,6,7,8,9")),
            Optional("train"),
            double.Parse(Get("contamination", "0.1"), CultureInfo.InvariantCulture),
            values.TryGetValue("coreset", out var coreset) ? double.Parse(coreset, CultureInfo.InvariantCulture) : CoresetBank.DefaultRatio,
            int.Parse(Get("images", "96"), CultureInfo.InvariantCulture),
            MethodList(values.TryGetValue("methods", out var methods) ? methods : Get("method", AnomalyMethod.PatchCore)),
            Get("profile", "fast"),
            [.. sets],
            Get("textures", "brick,grass,gravel").Split(','),
            Get("protocols", "distinct").Split(','),
            values.TryGetValue("folder", out var folder) ? Path.GetFullPath(folder) : null,
            Optional("test-normal"),
            Optional("test-anomalous"),
            flags.Contains("curves"));
    }
}
