using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Hosting;
using FunAd.Jobs.Training;
using FunAd.Jobs.Workers;
using FunAd.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace FunAd.Tests.Workers;

/// <summary>The worker registry on a real catalogue: reports, states, what runs where, and the queue a new run goes to.</summary>
public abstract class WorkerRegistryTests : IDisposable
{
    public sealed class OnSqlite() : WorkerRegistryTests(CatalogueProvider.Sqlite);

    public sealed class OnPostgres() : WorkerRegistryTests(CatalogueProvider.Postgres), IRunsOnPostgres;

    private readonly CatalogueFixture catalogue;
    private readonly WorkerRegistry registry;

    protected WorkerRegistryTests(CatalogueProvider provider)
    {
        catalogue = new CatalogueFixture(provider);
        registry = new JobParts(catalogue, new RecordingJobClient()).Workers();
    }

    private static WorkerNode Node(string name, string kind = "cpu", string queues = "cpu", DateTimeOffset? seen = null) => new()
    {
        Name = name, Machine = name.Split(':')[0], ProcessId = 1, Role = "worker", DeviceKind = kind,
        Device = kind == "cuda" ? "CUDA: test GPU" : "CPU (2 cores)", Queues = queues, JobSlots = 1, MemoryBytes = 1L << 34,
        StartedAt = DateTimeOffset.UtcNow.AddMinutes(-10), SeenAt = seen ?? DateTimeOffset.UtcNow,
    };

    [CatalogueFact]
    public async Task Workers_are_alive_silent_or_stopped_and_show_the_runs_they_train()
    {
        var project = await catalogue.AddProjectAsync();
        await registry.ReportAsync(Node("a:1"));
        await registry.ReportAsync(Node("b:2", seen: DateTimeOffset.UtcNow - registry.SilentAfter - TimeSpan.FromSeconds(5)));
        await registry.ReportAsync(Node("c:3"));
        await registry.MarkStoppedAsync("c:3");
        // A second report of the same worker updates its row.
        var again = Node("a:1", queues: "gpu,cpu");
        await registry.ReportAsync(again);
        await using (var db = await catalogue.Factory.CreateDbContextAsync())
        {
            db.Runs.Add(new TrainingRun { ProjectId = project.Id, Method = "funad", Profile = "fast", ParametersJson = "{}", Status = RunStatus.Running, Worker = "a:1", Progress = { Phase = "training", Fraction = 0.5 } });
            db.Runs.Add(new TrainingRun { ProjectId = project.Id, Method = "funad", Profile = "fast", ParametersJson = "{}", Status = RunStatus.Succeeded, Worker = "a:1" });
            await db.SaveChangesAsync();
        }

        var workers = await registry.ListAsync();

        Assert.Equal(["a:1", "b:2", "c:3"], workers.Select(w => w.Node.Name).Order());
        var a = workers.Single(w => w.Node.Name == "a:1");
        Assert.Equal("alive", a.State);
        Assert.Equal("gpu,cpu", a.Node.Queues);
        Assert.Equal("training", Assert.Single(a.Running).Phase);
        Assert.Equal("silent", workers.Single(w => w.Node.Name == "b:2").State);
        Assert.Equal("stopped", workers.Single(w => w.Node.Name == "c:3").State);
        Assert.Empty(workers.Single(w => w.Node.Name == "b:2").Running);
        Assert.Equal("a:1", workers[0].Node.Name);
    }

    [CatalogueFact]
    public async Task New_runs_go_to_the_gpu_queue_only_while_a_live_gpu_worker_listens_to_it()
    {
        Assert.Equal(JobQueues.Cpu, await registry.ChooseQueueAsync(null));
        await registry.ReportAsync(Node("cpu:1"));
        await registry.ReportAsync(Node("gpu-old:2", "cuda", "gpu,cpu", DateTimeOffset.UtcNow.AddHours(-1)));
        await registry.ReportAsync(Node("gpu-cpuonly:3", "cuda", "cpu"));
        Assert.Equal(JobQueues.Cpu, await registry.ChooseQueueAsync(null));

        await registry.ReportAsync(Node("gpu:4", "cuda", "gpu,cpu"));
        Assert.Equal(JobQueues.Gpu, await registry.ChooseQueueAsync(null));
        Assert.Equal("cpu", await registry.ChooseQueueAsync(" CPU "));

        await registry.MarkStoppedAsync("gpu:4");
        Assert.Equal(JobQueues.Cpu, await registry.ChooseQueueAsync(null));
    }

    [CatalogueFact]
    public async Task The_launcher_puts_a_run_on_the_chosen_queue_or_the_configured_one()
    {
        var project = await catalogue.AddProjectAsync();
        await catalogue.AddImagesAsync(project.Id, [TestImages.Save(TestImages.BrickCrop(0, 0, 64), Path.Combine(catalogue.Root, "one.png"))]);
        var jobs = new RecordingJobClient();
        var parts = new JobParts(catalogue, jobs);
        await parts.Launcher().StartAsync(project.Id, RunSettings.Default, "t");
        await registry.ReportAsync(Node("gpu:4", "cuda", "gpu,cpu"));
        await parts.Launcher().StartAsync(project.Id, RunSettings.Default, "t");
        await parts.Launcher(new CatalogueOptions { RunQueue = "cpu" }).StartAsync(project.Id, RunSettings.Default, "t");

        Assert.Equal(["cpu", "gpu", "cpu"], jobs.Queues);
        await using var db = await catalogue.Factory.CreateDbContextAsync();
        Assert.Contains(await db.RunLog.Select(l => l.Message).ToListAsync(), m => m.Contains("job queue 'gpu'"));
    }

    [CatalogueFact]
    public void Queue_lists_are_parsed_and_checked()
    {
        Assert.Null(JobQueues.Parse(" "));
        Assert.Equal(["gpu", "cpu"], JobQueues.Parse("GPU, cpu,gpu")!);
        Assert.Throws<ArgumentException>(() => JobQueues.Parse("gpu;cpu"));
        Assert.Equal([JobQueues.Gpu, JobQueues.Cpu, JobQueues.Legacy], JobQueues.ForDevice(hasGpu: true));
        Assert.DoesNotContain(JobQueues.Gpu, JobQueues.ForDevice(hasGpu: false));
    }

    [CatalogueFact]
    public void Recovery_timings_refuse_a_stale_limit_shorter_than_the_heartbeat()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new RecoveryTimings { HeartbeatSeconds = 30, StaleAfterSeconds = 20 }.Validate());
        Assert.Contains("StaleAfterSeconds", error.Message);
    }

    public void Dispose() => catalogue.Dispose();
}
