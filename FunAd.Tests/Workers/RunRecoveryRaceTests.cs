using System.Diagnostics;
using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Hosting;
using FunAd.Jobs.Training;
using FunAd.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace FunAd.Tests.Workers;

/// <summary>Several processes run the recovery loop at once (web app and workers): a dead worker's run is handed on exactly once.</summary>
public abstract class RunRecoveryRaceTests : IDisposable
{
    public sealed class OnSqlite() : RunRecoveryRaceTests(CatalogueProvider.Sqlite);

    public sealed class OnPostgres() : RunRecoveryRaceTests(CatalogueProvider.Postgres), IRunsOnPostgres;

    private readonly CatalogueFixture catalogue;

    protected RunRecoveryRaceTests(CatalogueProvider provider) => catalogue = new CatalogueFixture(provider);

    [CatalogueFact]
    public async Task Recoverers_racing_over_the_same_dead_runs_queue_each_run_once()
    {
        var project = await catalogue.AddProjectAsync();
        const int runs = 12;
        await using (var db = await catalogue.Factory.CreateDbContextAsync())
        {
            for (var i = 0; i < runs; i++)
                db.Runs.Add(new TrainingRun
                {
                    ProjectId = project.Id, Method = "funad", Profile = "fast", ParametersJson = "{}", Status = RunStatus.Running,
                    HangfireJobId = $"old-{i}", Worker = "gone-machine:4242", HeartbeatAt = DateTimeOffset.UtcNow.AddHours(-1),
                });
            await db.SaveChangesAsync();
        }
        var jobs = new RecordingJobClient();
        var recoverers = Enumerable.Range(0, 4)
            .Select(_ => new JobParts(catalogue, jobs).Recovery())
            .ToList();

        var counts = await Task.WhenAll(recoverers.Select(r => Task.Run(() => r.RecoverAsync(sameProcessOnly: false))));

        Assert.Equal(runs, counts.Sum());
        Assert.Equal(runs, jobs.Created.Count);
        await using var check = await catalogue.Factory.CreateDbContextAsync();
        Assert.All(await check.Runs.ToListAsync(), r =>
        {
            Assert.Equal(RunStatus.Queued, r.Status);
            Assert.StartsWith("job-", r.HangfireJobId);
        });
        var handedOn = await check.RunLog.Where(l => l.Message.Contains("stopped answering")).GroupBy(l => l.RunId).Select(g => g.Count()).ToListAsync();
        Assert.Equal(Enumerable.Repeat(1, runs), handedOn);
    }

    [CatalogueFact]
    public void A_worker_of_this_machine_is_dead_when_its_process_is_gone_and_alive_while_it_exists()
    {
        using var exited = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        exited.WaitForExit();
        var here = Environment.MachineName;

        Assert.True(RunRecovery.DiedOnThisMachine($"{here}:{exited.Id}", DateTimeOffset.UtcNow));
        Assert.False(RunRecovery.DiedOnThisMachine($"{here}:{Environment.ProcessId}", DateTimeOffset.UtcNow));
        // Our own pid with a heartbeat from before this process started: a previous life (a restarted container).
        Assert.True(RunRecovery.DiedOnThisMachine($"{here}:{Environment.ProcessId}", DateTimeOffset.UtcNow.AddDays(-30)));
        Assert.False(RunRecovery.DiedOnThisMachine($"another-machine:{exited.Id}", DateTimeOffset.UtcNow));
        Assert.False(RunRecovery.DiedOnThisMachine(null, null));
    }

    public void Dispose() => catalogue.Dispose();
}
