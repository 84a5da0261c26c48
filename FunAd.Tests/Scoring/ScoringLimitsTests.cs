using FunAd.Engine.Devices;
using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Scoring;
using FunAd.Jobs.Training;
using FunAd.Tests.Support;
using FunAd.Tests.Uploads;
using FunAd.Tests.Web.Components;
using static FunAd.Tests.Web.Components.ReviewData;

namespace FunAd.Tests.Scoring;

/// <summary>
/// The probe took the server from 0.3 to 4.8 GB with 24 PNGs declaring 49 megapixels each: a request
/// is now refused on its declared pixels and bytes before anything is decoded, and scorings beyond
/// the slots are refused as busy instead of queuing in memory.
/// </summary>
public sealed class ScoringLimitsTests : IDisposable
{
    private readonly CatalogueFixture catalogue = new();
    private static readonly EngineDevice Cpu = new(() => ComputeDevice.Resolve(DeviceChoice.Cpu));

    [Fact]
    public async Task Images_declaring_more_pixels_than_the_budget_are_refused_before_decoding()
    {
        using var inference = new RunInference(catalogue.Factory, catalogue.Store, Cpu);
        var bombs = Enumerable.Range(0, 24).Select(i => ($"{i}.png", UploadTestFiles.HugePngHeader(7000, 7000))).ToList();

        var refused = await Assert.ThrowsAsync<ScoringRefusedException>(() => inference.ScoreAsync(404, bombs));

        Assert.Equal(ScoringRefusedException.TooLarge, refused.StatusCode);
        Assert.Contains("1176 megapixels, over the 100 megapixels", refused.Message);
    }

    [Fact]
    public async Task Files_over_the_byte_budget_are_refused()
    {
        using var inference = new RunInference(catalogue.Factory, catalogue.Store, Cpu, new ScoringLimits { MaxBytesPerRequest = 1000 });

        var refused = await Assert.ThrowsAsync<ScoringRefusedException>(() => inference.ScoreAsync(404, [("a.png", new byte[600]), ("b.png", new byte[600])]));

        Assert.Equal(ScoringRefusedException.TooLarge, refused.StatusCode);
    }

    [Fact]
    public async Task Scorings_beyond_the_free_slots_are_refused_as_busy()
    {
        var (run, _) = await SeedRunAsync(catalogue, [new SeedImage("a.png", 0.5)], RunStatus.Succeeded, r => { r.Outcome.OnnxPath = "x.onnx"; r.Outcome.ModelPath = "model"; });
        using var inference = new RunInference(catalogue.Factory, catalogue.Store, Cpu, new ScoringLimits { MaxConcurrent = 0, WaitForSlot = TimeSpan.Zero });

        var busy = await Assert.ThrowsAsync<ScoringRefusedException>(() => inference.ScoreAsync(run.Id, [("a.png", UploadTestFiles.Png(32, 32))]));

        Assert.Equal(ScoringRefusedException.Busy, busy.StatusCode);
    }

    public void Dispose() => catalogue.Dispose();
}
