using System.Globalization;

namespace FunAd.Bench;

/// <summary>Benchmark settings from "--name value" pairs ("--set name=value" may repeat); defaults are the ones recorded in docs/benchmarks.md.</summary>
public sealed record BenchOptions(string Work, int Seed, int[] Classes, int? Train, double Contamination, double Coreset, int Images,
    string Method, string Profile, string[] Sets, string[] Textures, string? Folder = null)
{
    public static BenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>();
        var sets = new List<string>();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var key = args[i].TrimStart('-');
            if (key == "set") sets.Add(args[i + 1]);
            else values[key] = args[i + 1];
        }
        string Get(string key, string fallback) => values.GetValueOrDefault(key, fallback);
        return new BenchOptions(
            Path.GetFullPath(Get("work", ".bench")),
            int.Parse(Get("seed", "0"), CultureInfo.InvariantCulture),
            Get("classes", "0,1,2,3,4,5,6,7,8,9").Split(',').Select(int.Parse).ToArray(),
            values.TryGetValue("train", out var train) ? int.Parse(train, CultureInfo.InvariantCulture) : null,
            double.Parse(Get("contamination", "0.1"), CultureInfo.InvariantCulture),
            double.Parse(Get("coreset", "0.1"), CultureInfo.InvariantCulture),
            int.Parse(Get("images", "96"), CultureInfo.InvariantCulture),
            Get("method", "patchcore"),
            Get("profile", "fast"),
            [.. sets],
            Get("textures", "brick,grass,gravel").Split(','),
            values.TryGetValue("folder", out var folder) ? Path.GetFullPath(folder) : null);
    }
}
