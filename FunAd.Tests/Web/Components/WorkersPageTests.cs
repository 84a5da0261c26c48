using Bunit;
using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Workers;
using FunAd.Tests.Support;
using FunAd.Web.Components.Workers;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace FunAd.Tests.Web.Components;

/// <summary>The Workers page over a real catalogue: each worker's device, queues, state and current run.</summary>
public sealed class WorkersPageTests : IAsyncLifetime
{
    private readonly CatalogueFixture catalogue = new();
    private readonly BunitContext context = new();

    public Task InitializeAsync()
    {
        context.Services.AddMudServices();
        context.Services.AddSingleton(new JobParts(catalogue, new RecordingJobClient()).Workers());
        context.Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new FunAd.Jobs.Hosting.RecoveryTimings()));
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        return Task.CompletedTask;
    }

    // MudBlazor's services only dispose asynchronously.
    public async Task DisposeAsync()
    {
        await context.DisposeAsync();
        catalogue.Dispose();
    }

    [Fact]
    public async Task Each_worker_shows_its_device_queues_state_and_the_run_it_trains()
    {
        var registry = context.Services.GetRequiredService<WorkerRegistry>();
        var project = await catalogue.AddProjectAsync("caps");
        DateTimeOffset now = DateTimeOffset.UtcNow;
        await registry.ReportAsync(new WorkerNode { Name = "gpu-box:11", Machine = "gpu-box", Role = "worker", DeviceKind = "cuda", Device = "CUDA: NVIDIA H200",
            Queues = "gpu,cpu", JobSlots = 1, MemoryBytes = 128L << 30, StartedAt = now, SeenAt = now });
        await registry.ReportAsync(new WorkerNode { Name = "old-box:12", Machine = "old-box", Role = "worker", DeviceKind = "cpu", Device = "CPU (2 cores)",
            Queues = "cpu", JobSlots = 1, MemoryBytes = 8L << 30, StartedAt = now.AddHours(-2), SeenAt = now.AddMinutes(-30) });
        await using (var db = await catalogue.Factory.CreateDbContextAsync())
        {
            db.Runs.Add(new TrainingRun { ProjectId = project.Id, Method = "funad", Profile = "fast", ParametersJson = "{}", Status = RunStatus.Running,
                Worker = "gpu-box:11", Progress = { Phase = "training", Fraction = 0.25 } });
            await db.SaveChangesAsync();
        }

        var cut = context.Render<WorkersPage>();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("#worker-table tbody tr").Count));

        var rows = cut.FindAll("#worker-table tbody tr");
        Assert.Contains("gpu-box:11", rows[0].TextContent);
        Assert.Contains("CUDA: NVIDIA H200", rows[0].TextContent);
        Assert.Contains("gpu,cpu", rows[0].TextContent);
        Assert.Contains("128 GiB", rows[0].TextContent);
        Assert.Equal("alive", rows[0].QuerySelector(".worker-state")!.TextContent.Trim());
        Assert.Contains("run 1", rows[0].TextContent);
        Assert.Contains("caps", rows[0].TextContent);
        Assert.Contains("25", rows[0].TextContent);
        Assert.Equal("silent", rows[1].QuerySelector(".worker-state")!.TextContent.Trim());
        Assert.Contains("idle", rows[1].TextContent);
        Assert.Contains("1 alive", cut.Find("#worker-summary").TextContent);
    }

    [Fact]
    public void With_no_worker_the_page_says_that_queued_runs_wait()
    {
        var cut = context.Render<WorkersPage>();
        cut.WaitForAssertion(() => Assert.Contains("queued runs wait", cut.Find("#no-workers").TextContent));
    }
}
