using FunAd.Engine.Training;

namespace FunAd.Tests.Training;

public class FunAdOptionsTests
{
    [Fact]
    public void Defaults_are_the_papers_constants()
    {
        var o = new FunAdOptions();

        Assert.Equal((0.5, 0.5, 0.5, 0.9, 2.5, 0.05), (o.TauB, o.SamplingRatio, o.TauN, o.TauC, o.Lambda, o.SyntheticShare));
        Assert.Equal((2e-5, 0.2, 0.99, 1e-8, 32), (o.LearningRate, o.Momentum, o.Alpha, o.Epsilon, o.BatchSize));
        Assert.Equal((1, 0, 0), (o.BankRefreshInterval, o.BankCap, o.PatchesPerIteration));
    }

    [Fact]
    public void Any_setting_can_be_overridden_by_name()
    {
        var o = new FunAdOptions().With(["lambda=0", "SyntheticAnomalies=false", "bankRefreshInterval=4", "tauC=0.8"]);

        Assert.Equal(0, o.Lambda);
        Assert.False(o.SyntheticAnomalies);
        Assert.Equal(4, o.BankRefreshInterval);
        Assert.Equal(0.8, o.TauC);
    }

    [Fact]
    public void Unknown_names_and_bad_values_are_refused_with_a_reason()
    {
        var unknown = Assert.Throws<ArgumentException>(() => new FunAdOptions().With(["lamda=1"]));
        var bad = Assert.Throws<ArgumentException>(() => new FunAdOptions().With(["epochs=many"]));
        var invalid = Assert.Throws<ArgumentException>(() => (new FunAdOptions() with { TauC = 0.4 }).Validate());

        Assert.Contains("lamda", unknown.Message);
        Assert.Contains("lambda", unknown.Message);
        Assert.Contains("many", bad.Message);
        Assert.Contains("tauN < tauC", invalid.Message);
    }

    [Theory]
    [InlineData("epsilon=-1", "epsilon must be in [1e-12, 1]")]
    [InlineData("lambda=-1e300", "lambda must be in [0, 10000]")]
    [InlineData("stablePatience=-5", "stablePatience must be in 1..100000")]
    [InlineData("epochs=2147483647", "epochs must be in 1..100000")]
    [InlineData("batchSize=2147483647", "batchSize must be in 2..4096")]
    [InlineData("checkpointEvery=0", "checkpointEvery must be in 1..100000")]
    [InlineData("bankCap=2147483647", "bankCap must be in 0..10000000")]
    [InlineData("learningRate=NaN", "not a valid finite number")]
    [InlineData("tauB=Infinity", "not a valid finite number")]
    [InlineData("momentum=1", "momentum must be in [0, 0.999]")]
    public void Every_setting_is_held_to_its_documented_range(string assignment, string reason)
    {
        var error = Assert.Throws<ArgumentException>(() => new FunAdOptions().With([assignment]).Validate());

        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void Both_profiles_lie_within_the_ranges()
    {
        foreach (var profile in new[] { "fast", "paper" })
        foreach (var semantic in new[] { false, true })
            FunAdProfiles.Get(profile, semantic).Validate();
    }

    [Fact]
    public void Profiles_differ_where_they_should()
    {
        var paper = FunAdProfiles.Get("paper", semantic: false);
        var fast = FunAdProfiles.Get("fast", semantic: false);

        Assert.Equal(1500, paper.Epochs);
        Assert.Equal(1, paper.BankRefreshInterval);
        Assert.True(fast.Epochs < paper.Epochs);
        Assert.False(FunAdProfiles.Get("paper", semantic: true).SyntheticAnomalies);
        Assert.Throws<ArgumentException>(() => FunAdProfiles.Get("turbo", false));
    }
}
