using Bunit;
using FunAd.Engine.Devices;
using FunAd.Web.Components.Pages;
using FunAd.Web.Hosting;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using TorchSharp;

namespace FunAd.Tests.Web;

public sealed class HomePageTests : BunitContext
{
    public HomePageTests()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    private static ComputeDevice Cpu =>
        new(DeviceType.CPU, "CPU (2 cores; no CUDA device found)", "not needed (libLibTorchSharp.so loads as is)");

    [Fact]
    public void A_ready_engine_shows_the_device_and_the_native_fix_outcome()
    {
        Services.AddSingleton(EngineStatus.Resolved(Cpu));

        var cut = Render<Home>();

        Assert.Contains("Engine ready", cut.Find("#engine-ready").TextContent);
        Assert.Contains("CPU (2 cores; no CUDA device found)", cut.Find("#engine-device").TextContent);
        Assert.Contains("not needed (libLibTorchSharp.so loads as is)", cut.Find("#engine-native-fix").TextContent);
        Assert.Empty(cut.FindAll("#engine-error"));
    }

    [Fact]
    public void A_failed_engine_shows_the_error()
    {
        Services.AddSingleton(EngineStatus.Failed("CUDA was requested but TorchSharp sees no usable GPU."));

        var cut = Render<Home>();

        Assert.Contains("CUDA was requested but TorchSharp sees no usable GPU.", cut.Find("#engine-error").TextContent);
        Assert.Contains("Engine unavailable", cut.Markup);
        Assert.Empty(cut.FindAll("#engine-ready"));
    }

    [Fact]
    public async Task While_resolving_shows_progress_then_the_device_once_resolved()
    {
        using var gate = new ManualResetEventSlim();
        var status = new EngineStatus(() => { gate.Wait(TimeSpan.FromSeconds(30)); return Cpu; });
        Services.AddSingleton(status);

        var cut = Render<Home>();

        Assert.NotNull(cut.Find("#engine-resolving"));
        Assert.Empty(cut.FindAll("#engine-ready"));

        gate.Set();
        await status.WhenResolvedAsync();
        cut.WaitForAssertion(() => Assert.Contains("CPU (2 cores", cut.Find("#engine-device").TextContent), TimeSpan.FromSeconds(10));
    }
}
