using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Hosting;
using FunAd.Jobs.Training;
using FunAd.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace FunAd.Tests.Workers;

/// <summary>Recovery and the worker registry read the host's timings and clock: a test moves time instead of sleeping.</summary>
public sealed class RecoveryClockTests : IDisposable
{
    private readonly CatalogueFixture catalogue = new();
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));

    public void Dispose() => catalogue.Dispose();

    [Fact]
    public async Task A_running_run_is_handed_on_once_its_heartbeat_is_older_than_this_hosts_stale_limit()
    {
        var project = await catalogue.AddProjectAsync();
        await using (var db = await catalogue.Factory.CreateDbContextAsync())
        {
            db.Runs.Add(new TrainingRun { ProjectId = project.Id, Method = "funad", Profile = "fast", ParametersJson = "{}", Status = RunStatus.Running,
                HangfireJobId = "1", Worker = "other-machine:7", HeartbeatAt = clock.GetUtcNow() });
            await db.SaveChangesAsync();
        }
        var jobs = new RecordingJobClient();
        var patient = new JobParts(catalogue, jobs, clock, new RecoveryTimings { HeartbeatSeconds = 10, StaleAfterSeconds = 300 }).Recovery();
        var quick = new JobParts(catalogue, jobs, clock, new RecoveryTimings { HeartbeatSeconds = 10, StaleAfterSeconds = 60 }).Recovery();

        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(0, await quick.RecoverAsync(sameProcessOnly: false));
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(0, await patient.RecoverAsync(sameProcessOnly: false));
        Assert.Equal(1, await quick.RecoverAsync(sameProcessOnly: false));

        await using var check = await catalogue.Factory.CreateDbContextAsync();
        var run = await check.Runs.SingleAsync();
        Assert.Equal((RunStatus.Queued, RunPhase.Interrupted), (run.Status, run.Progress.Phase));
        Assert.Single(jobs.Created);
    }

    [Fact]
    public async Task A_worker_turns_silent_after_this_hosts_limit()
    {
        var registry = new JobParts(catalogue, new RecordingJobClient(), clock, new RecoveryTimings { StaleAfterSeconds = 40, WorkerReportSeconds = 5 }).Workers();
        Assert.Equal(TimeSpan.FromSeconds(20), registry.SilentAfter);
        await registry.ReportAsync(new WorkerNode { Name = "w:1", Machine = "w", Role = "worker", DeviceKind = "cpu", Device = "CPU", Queues = "cpu",
            JobSlots = 1, StartedAt = clock.GetUtcNow(), SeenAt = clock.GetUtcNow() });

        clock.Advance(TimeSpan.FromSeconds(19));
        Assert.Equal("alive", (await registry.ListAsync()).Single().State);
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal("silent", (await registry.ListAsync()).Single().State);
    }
}
