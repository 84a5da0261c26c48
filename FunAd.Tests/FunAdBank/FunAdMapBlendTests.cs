using System.Text.Json;
using FunAd.Engine.FunAdBank;
using FunAd.Engine.Models;

namespace FunAd.Tests.FunAdBank;

/// <summary>FUN-AD's patch scores mixed into the bank's, each first put in units of the median and 99th percentile of the values it is fitted on (the kept images' maps).</summary>
public class FunAdMapBlendTests
{
    // 1..100: median (nearest rank) 50, 99th percentile 99.
    private static readonly float[] Bank = Enumerable.Range(1, 100).Select(v => (float)v).ToArray();

    // 0.01..1.00: median 0.50, 99th percentile 0.99.
    private static readonly float[] FunAd = Enumerable.Range(1, 100).Select(v => v / 100f).ToArray();

    [Fact]
    public void Each_score_is_measured_from_its_median_in_units_of_its_spread_to_the_99th_percentile_and_mixed_by_the_weight()
    {
        var blend = FunAdMapBlend.Fit(0.25, Bank, FunAd);

        Assert.Equal((50f, 99f, 0.50f, 0.99f), (blend.BankMedian, blend.BankHigh, blend.FunAdMedian, blend.FunAdHigh));
        // A patch at both medians scores 0; at both 99th percentiles 1; in between, each score's share by the weight.
        Assert.Equal(0, blend.Combine(50f, 0.50f), 5);
        Assert.Equal(1, blend.Combine(99f, 0.99f), 5);
        Assert.Equal(0.75 * (148 - 50) / 49.0 + 0.25 * (0.50 - 0.50) / 0.49, blend.Combine(148f, 0.50f), 4);
        Assert.Equal(0.75 * (50 - 50) / 49.0 + 0.25 * (1.48 - 0.50) / 0.49, blend.Combine(50f, 1.48f), 4);
        Assert.Equal([blend.Combine(10f, 0.2f), blend.Combine(70f, 0.9f)], blend.Combine([10f, 70f], [0.2f, 0.9f]));
    }

    [Fact]
    public void Weight_zero_is_the_banks_distance_alone_and_weight_one_is_funads_score_alone()
    {
        var bankOnly = FunAdMapBlend.Fit(0, Bank, FunAd);
        var funAdOnly = FunAdMapBlend.Fit(1, Bank, FunAd);

        Assert.Equal(bankOnly.Combine(80f, 0.1f), bankOnly.Combine(80f, 0.9f));
        Assert.Equal(funAdOnly.Combine(10f, 0.7f), funAdOnly.Combine(90f, 0.7f));
        Assert.True(bankOnly.Combine(90f, 0.1f) > bankOnly.Combine(80f, 0.9f));
    }

    [Fact]
    public void A_score_that_never_varies_over_the_kept_patches_keeps_its_own_unit()
    {
        var flat = Enumerable.Repeat(0.5f, 100).ToArray();
        var blend = FunAdMapBlend.Fit(0.5, Bank, flat);

        Assert.Equal(0.5f, blend.FunAdCoefficient);
        Assert.True(float.IsFinite(blend.Combine(60f, 0.9f)));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    public void A_weight_outside_zero_to_one_is_refused(double weight) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => FunAdMapBlend.Fit(weight, Bank, FunAd));

    [Fact]
    public void Scores_of_different_patches_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => FunAdMapBlend.Fit(0.5, Bank, FunAd.Take(10).ToArray()));
        Assert.Contains("100 and 10", error.Message);
    }

    [Fact]
    public void A_manifest_records_the_blend_and_gives_it_back_and_a_manifest_without_one_gives_none()
    {
        var blend = FunAdMapBlend.Fit(0.3, Bank, FunAd);
        var backbone = new BackboneReference("resnet18", "id", "resnet18", 224, 28, 384, 512, "resize");
        var settings = new Dictionary<string, JsonElement> { [FunAdMapBlend.Setting] = blend.ToJson() };
        var manifest = new ModelManifest("funad-bank", "defect", backbone, false, 10, 1.0, "rule", settings, DateTimeOffset.UnixEpoch);
        var reread = JsonSerializer.Deserialize<ModelManifest>(JsonSerializer.Serialize(manifest, ModelManifest.Json), ModelManifest.Json)!;

        Assert.Equal(blend, FunAdMapBlend.ReadFrom(reread));
        Assert.Null(FunAdMapBlend.ReadFrom(manifest with { Settings = new Dictionary<string, JsonElement>() }));
    }
}
