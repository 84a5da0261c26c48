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
