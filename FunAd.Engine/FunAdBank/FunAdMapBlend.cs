using System.Text.Json;
using FunAd.Engine.Models;

namespace FunAd.Engine.FunAdBank;

/// <summary>
/// Defect mode: a funad-bank patch score that adds FUN-AD's own patch score to the bank's distance. The
/// two are on unlike scales (an L2 distance, a probability), so each is first put on the scale of the kept
/// training images' maps, (score - median) / (99th percentile - median), and the two are then mixed,
/// (1 - Weight) x bank + Weight x FUN-AD. Most of a normal image's map scores about 0, and 1 is as high as the
/// 99th percentile of the kept images' map values. The mix is affine in both scores, so it commutes with the
/// map's upsampling and blur (units measured on maps apply to patch scores as they are), and in the exported
/// graph it is two Mul and two Add nodes.
/// </summary>
public sealed record FunAdMapBlend(double Weight, float BankMedian, float BankHigh, float FunAdMedian, float FunAdHigh)
{
    /// <summary>The model.json setting that holds the blend; absent, the bank scores alone.</summary>
    public const string Setting = "mapBlend";

    /// <summary>The percentile of the kept images' map values that sets each score's unit.</summary>
    public const double HighQuantile = 0.99;

    public float BankCoefficient => (float)((1 - Weight) / Spread(BankMedian, BankHigh));
    public float FunAdCoefficient => (float)(Weight / Spread(FunAdMedian, FunAdHigh));
    public float Offset => -(BankCoefficient * BankMedian + FunAdCoefficient * FunAdMedian);

    public float Combine(float bank, float funAd) => BankCoefficient * bank + FunAdCoefficient * funAd + Offset;

    public float[] Combine(IReadOnlyList<float> bank, IReadOnlyList<float> funAd)
    {
        if (bank.Count != funAd.Count) throw new ArgumentException($"Both scores must cover the same patches ({bank.Count} and {funAd.Count}).");
        var (a, c, d) = (BankCoefficient, FunAdCoefficient, Offset);
        var mixed = new float[bank.Count];
        for (var i = 0; i < mixed.Length; i++) mixed[i] = a * bank[i] + c * funAd[i] + d;
        return mixed;
    }

    /// <summary>The blend whose units are set by the two maps (or patch scores) of the same kept, normal-judged images.</summary>
    public static FunAdMapBlend Fit(double weight, IReadOnlyList<float> bankValues, IReadOnlyList<float> funAdValues)
    {
        if (weight is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(weight), weight, "The FUN-AD map weight must be in [0, 1].");
        if (bankValues.Count == 0 || bankValues.Count != funAdValues.Count)
            throw new ArgumentException($"The blend needs the same non-empty values scored both ways ({bankValues.Count} and {funAdValues.Count}).");
        var (bankMedian, bankHigh) = MedianAndHigh(bankValues);
        var (funAdMedian, funAdHigh) = MedianAndHigh(funAdValues);
        return new FunAdMapBlend(weight, bankMedian, bankHigh, funAdMedian, funAdHigh);
    }

    public JsonElement ToJson() => JsonSerializer.SerializeToElement(this, ModelManifest.Json);

    /// <summary>The blend a model.json records, or null (the bank alone).</summary>
    public static FunAdMapBlend? ReadFrom(ModelManifest manifest) =>
        manifest.Settings.TryGetValue(Setting, out var value) && value.ValueKind == JsonValueKind.Object
            ? value.Deserialize<FunAdMapBlend>(ModelManifest.Json)
            : null;

    // A score that does not vary over the kept images' maps (a degenerate set) keeps its own unit rather than dividing by zero.
    private static double Spread(float median, float high) => high - median > 1e-12f ? high - median : 1;

    private static (float Median, float High) MedianAndHigh(IReadOnlyList<float> values)
    {
        var sorted = values.Order().ToArray();
        return (BankCleaning.NearestRank(sorted, 0.5), BankCleaning.NearestRank(sorted, HighQuantile));
    }
}
