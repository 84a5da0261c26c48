using System.Text.Json;
using FunAd.Engine.Models;

namespace FunAd.Engine.Scoring;

/// <summary>
/// How a model turns its patch scores into one image score, recorded in model.json ("imageScore").
/// FUN-AD keeps the paper's rule, the largest patch score. The memory-bank methods (PatchCore,
/// funad-bank) take the largest value of the smoothed map instead: a single stray patch of an
/// irregular texture no longer decides the image, a defect that spans a few patches still does
/// (image AUROC +0.2 to +7.4 on every texture set below 100 that was measured, for both methods; docs/benchmarks.md).
/// A model without the setting (trained before it existed) keeps the largest patch score, so its
/// scores and threshold stay as they were.
/// </summary>
public static class ImageScore
{
    public const string Setting = "imageScore";

    /// <summary>The largest patch score (the paper's rule).</summary>
    public const string PatchMax = "patch-max";

    /// <summary>The largest value of the anomaly map (patch scores upsampled and blurred as <see cref="AnomalyMap"/> says).</summary>
    public const string MapMax = "map-max";

    /// <summary>The rule a model's manifest names; <see cref="PatchMax"/> when it names none, and always in semantic mode (one score, no map).</summary>
    public static string RuleOf(ModelManifest manifest) => RuleIn(manifest.Settings, DetectionModeParser.Parse(manifest.Mode));

    /// <summary>The rule that a model's settings name (see <see cref="RuleOf"/>).</summary>
    public static string RuleIn(IReadOnlyDictionary<string, JsonElement> settings, DetectionMode mode)
    {
        if (mode != DetectionMode.Defect || !settings.TryGetValue(Setting, out var value)) return PatchMax;
        var rule = value.ValueKind == JsonValueKind.String ? value.GetString() : value.ToString();
        return rule is PatchMax or MapMax
            ? rule
            : throw new InvalidDataException($"{ModelManifest.FileName}: unknown image score rule '{rule}' (expected {PatchMax} or {MapMax}).");
    }

    /// <summary>
    /// One image's score from its <paramref name="gridSize"/> x <paramref name="gridSize"/> patch scores; the map is
    /// rendered at the model's input size, as the exported graph renders it.
    /// </summary>
    public static float Of(string rule, ReadOnlySpan<float> patchScores, int gridSize, int inputSize) => rule switch
    {
        PatchMax => Max(patchScores),
        MapMax => Max(AnomalyMap.Render(patchScores, gridSize, inputSize, inputSize)),
        _ => throw new ArgumentException($"Unknown image score rule '{rule}'.", nameof(rule)),
    };

    private static float Max(ReadOnlySpan<float> values)
    {
        var max = float.NegativeInfinity;
        foreach (var v in values) max = Math.Max(max, v);
        return max;
    }
}
