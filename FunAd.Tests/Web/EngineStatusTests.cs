using FunAd.Engine.Devices;
using FunAd.Web.Hosting;
using Microsoft.Extensions.Configuration;
using TorchSharp;

namespace FunAd.Tests.Web;

public class EngineStatusTests
{
    private static ComputeDevice Cpu => new(DeviceType.CPU, "CPU (4 cores; requested)", "not needed (not Linux)");

    [Fact]
    public async Task Resolves_once_in_the_background_and_reports_the_device()
    {
        var calls = 0;
        var status = new EngineStatus(() => { Interlocked.Increment(ref calls); return Cpu; });

        Assert.False(status.IsResolved);
        Assert.False(status.Ready);
        Assert.Equal("", status.DeviceDescription);

        status.Start();
        status.Start();
        await status.WhenResolvedAsync();
        await status.WhenResolvedAsync();

        Assert.Equal(1, calls);
        Assert.True(status.IsResolved);
        Assert.True(status.Ready);
        Assert.Equal("CPU (4 cores; requested)", status.DeviceDescription);
        Assert.Equal("not needed (not Linux)", status.NativeFixOutcome);
        Assert.Null(status.Error);
    }

    [Fact]
    public async Task A_failing_resolution_is_recorded_not_thrown()
    {
        var status = new EngineStatus(() => throw new PlatformNotSupportedException("no libstdc++ for you"));

        await status.WhenResolvedAsync();

        Assert.True(status.IsResolved);
        Assert.False(status.Ready);
        Assert.Null(status.Device);
        Assert.Equal("no libstdc++ for you", status.Error);
    }

    [Fact]
    public async Task An_unknown_configured_device_is_an_error_not_a_crash()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["FunAd:Device"] = "quantum" })
            .Build();
        var status = EngineStatus.FromConfiguration(configuration);

        await status.WhenResolvedAsync();

        Assert.False(status.Ready);
        Assert.Contains("Unknown device 'quantum'", status.Error);
    }

    [Fact]
    public void Ready_and_failed_instances_can_be_made_directly()
    {
        var ready = EngineStatus.Resolved(Cpu);
        var failed = EngineStatus.Failed("broken");

        Assert.True(ready.Ready);
        Assert.True(ready.WhenResolvedAsync().IsCompletedSuccessfully);
        Assert.False(failed.Ready);
        Assert.True(failed.IsResolved);
        Assert.Equal("broken", failed.Error);
    }
}
