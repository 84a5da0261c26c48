using System.Text.Json;
using FunAd.Engine.MemoryBank;
using FunAd.Engine.Models;
using FunAd.Engine.Training;
using FunAd.Engine.Workflows;

namespace FunAd.Jobs.Training;

/// <summary>
/// What a user chooses for a run: the method, a profile and any overrides of its parameters
/// ("name=value", as on the command line). Resolved into the full settings the run records.
/// </summary>
public sealed record RunSettings(string Method, string Profile, int Seed, IReadOnlyDictionary<string, string>? Overrides = null, double CoresetRatio = CoresetBank.DefaultRatio,
    bool ExcludeConfirmedDefects = false, bool HoldOutLabelled = false)
{
    public static RunSettings Default { get; } = new(AnomalyMethod.Default, FunAdProfiles.Fast, 0);

    /// <summary>The method's full options for a project's mode; throws ArgumentException naming a bad parameter.</summary>
    public MethodSettings Resolve(DetectionMode mode)
    {
        if (CoresetRatio is <= 0 or > 1 || !double.IsFinite(CoresetRatio)) throw new ArgumentException($"coresetRatio {CoresetRatio} must be in (0, 1].");
        var profile = Profile == "custom" ? FunAdProfiles.Fast : Profile;
        return MethodSettings.Resolve(Method, profile, mode, (Overrides ?? new Dictionary<string, string>()).Select(p => $"{p.Key}={p.Value}").ToArray(), Seed, CoresetRatio);
    }

    /// <summary>The settings as the run stores them (JSON), so a run can be read back and repeated.</summary>
    public string ToJson(DetectionMode mode) => ToJson(Resolve(mode));

    /// <summary>The same, from settings already resolved (<see cref="Resolve"/>), so a caller that needs both resolves once.</summary>
    public string ToJson(MethodSettings settings)
    {
        object resolved = Method switch
        {
            AnomalyMethod.PatchCore => settings.PatchCore,
            AnomalyMethod.FunAdBank => new { funAd = settings.FunAd, bank = settings.Bank },
            _ => settings.FunAd!,
        };
        return JsonSerializer.Serialize(new StoredRunSettings(Method, Profile, Seed, Overrides ?? new Dictionary<string, string>(), CoresetRatio,
            JsonSerializer.SerializeToElement(resolved, ModelManifest.Json)), ModelManifest.Json);
    }

    public static RunSettings FromJson(string json)
    {
        var stored = JsonSerializer.Deserialize<StoredRunSettings>(json, ModelManifest.Json)
            ?? throw new InvalidDataException("Run settings are empty.");
        return new RunSettings(stored.Method, stored.Profile, stored.Seed, stored.Overrides, stored.CoresetRatio);
    }

    /// <summary>
    /// A run's stored settings as a person reads them (the report): every resolved setting as "name = value",
    /// nested ones as "bank.keepShare", and whether the run set it itself rather than taking its profile's.
    /// </summary>
    public static IReadOnlyList<RunSettingValue> Describe(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        // Runs store their resolved settings under "resolved"; anything else is listed as it is.
        var resolved = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("resolved", out var r) ? r : root;
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("overrides", out var overrides) && overrides.ValueKind == JsonValueKind.Object)
            foreach (var o in overrides.EnumerateObject()) set.Add(o.Name);
        var values = new List<RunSettingValue>();
        void Walk(JsonElement element, string prefix)
        {
            if (element.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in element.EnumerateObject())
                    Walk(property.Value, prefix.Length == 0 ? property.Name : $"{prefix}.{property.Name}");
                return;
            }
            var text = element.ValueKind switch
            {
                JsonValueKind.String => element.GetString() ?? "",
                JsonValueKind.Null => "none",
                JsonValueKind.Array => string.Join(", ", element.EnumerateArray().Select(e => e.ToString())),
                _ => element.GetRawText(),
            };
            var name = prefix[(prefix.LastIndexOf('.') + 1)..];
            if (prefix.Length == 0) return;
            values.Add(new RunSettingValue(prefix, text, set.Contains(name) || set.Contains(prefix)));
        }
        Walk(resolved, "");
        return values;
    }

    private sealed record StoredRunSettings(string Method, string Profile, int Seed, IReadOnlyDictionary<string, string> Overrides, double CoresetRatio, JsonElement Resolved);
}
