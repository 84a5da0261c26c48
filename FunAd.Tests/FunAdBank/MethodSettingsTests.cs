using FunAd.Engine.Models;
using FunAd.Engine.Workflows;

namespace FunAd.Tests.FunAdBank;

public class MethodSettingsTests
{
    [Fact]
    public void Funad_bank_takes_its_own_settings_and_hands_the_rest_to_fun_ad()
    {
        var settings = MethodSettings.Resolve(AnomalyMethod.FunAdBank, "fast", DetectionMode.Defect, ["setAsideShare=0.2", "lambda=0", "Neighbours=7"], seed: 3);

        Assert.Equal(0.2, settings.Bank!.SetAsideShare);
        Assert.Equal(7, settings.Bank.Neighbours);
        Assert.Equal(0, settings.FunAd!.Lambda);
        Assert.Equal(3, settings.FunAd.Seed);
        Assert.Equal(40, settings.FunAd.Epochs); // the fast defect profile's
    }

    [Theory]
    [InlineData("thresholdQuantile=0.9", 0.9)]
    [InlineData("thresholdQuantile=auto", null)]
    [InlineData("thresholdQuantile=AUTO", null)]
    [InlineData("thresholdQuantile=", null)]
    public void The_threshold_percentile_is_optional_and_auto_leaves_it_to_the_mode(string assignment, double? expected)
    {
        var settings = MethodSettings.Resolve(AnomalyMethod.FunAdBank, "fast", DetectionMode.Defect, [assignment], seed: 0);
        Assert.Equal(expected, settings.Bank!.ThresholdQuantile);
    }

    [Fact]
    public void Fun_ad_alone_refuses_a_bank_setting_and_patchcore_refuses_any()
    {
        var funAd = Assert.Throws<ArgumentException>(() => MethodSettings.Resolve(AnomalyMethod.FunAd, "fast", DetectionMode.Defect, ["setAsideShare=0.2"], 0));
        Assert.Contains("Unknown FUN-AD setting 'setAsideShare'", funAd.Message);
        Assert.Throws<ArgumentException>(() => MethodSettings.Resolve(AnomalyMethod.PatchCore, "fast", DetectionMode.Defect, ["lambda=0"], 0));
        Assert.Contains("Unknown method 'knn'", Assert.Throws<ArgumentException>(() => MethodSettings.Resolve("knn", "fast", DetectionMode.Defect, [], 0)).Message);
    }

    [Theory]
    [InlineData("setAsideShare=NaN", "not a valid finite number")]
    [InlineData("setAsideShare=Infinity", "not a valid finite number")]
    [InlineData("setAsideShare=1", "setAsideShare must be in [0, 1)")]
    [InlineData("neighbours=0", "neighbours must be in 1..1000")]
    [InlineData("patchQuantile=-0.5", "patchQuantile must be in (0, 1]")]
    [InlineData("thresholdQuantile=0.3", "thresholdQuantile must be auto or in [0.5, 1)")]
    [InlineData("thresholdQuantile=1", "thresholdQuantile must be auto or in [0.5, 1)")]
    [InlineData("thresholdQuantile=high", "'high' is not a valid finite number")]
    public void Out_of_range_bank_settings_are_refused_with_the_reason(string assignment, string reason)
    {
        var error = Assert.Throws<ArgumentException>(() => MethodSettings.Resolve(AnomalyMethod.FunAdBank, "fast", DetectionMode.Defect, [assignment], 0));
        Assert.Contains(reason, error.Message);
    }
}
