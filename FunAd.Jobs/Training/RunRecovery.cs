using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FunAd.Jobs.Training;

/// <summary>
/// At start-up, finds runs that a dead process left behind and queues them again: "running" runs
/// whose heartbeat stopped (the process was killed) resume from their last checkpoint, and queued
/// runs that never reached Hangfire are handed to it. Queued runs Hangfire holds run on their own.
/// </summary>
public sealed class RunRecovery(IDbContextFactory<CatalogueDbContext> factory, RunLauncher launcher, IOptions<RecoveryTimings> timings,
    TimeProvider time, ILogger<RunRecovery> logger)
{
    /// <summary>
    /// Keeps recovering while the app runs (every <see cref="RecoveryTimings.Every"/>): queued runs the job queue
    /// never got, and running runs whose worker stopped beating (a job that died on a full disk, a worker machine gone).
    /// </summary>
    public async Task LoopAsync(CancellationToken token)
    {
        var every = timings.Value.Every;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every, time, token);
                await RecoverAsync(sameProcessOnly: false, token);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Run recovery failed this time; trying again in {Every}", every);
            }
        }
    }

    private static readonly DateTimeOffset ProcessStarted = new(System.Diagnostics.Process.GetCurrentProcess().StartTime.ToUniversalTime(), TimeSpan.Zero);

    /// <summary>
    /// True when <paramref name="worker"/> ("machine:pid") was a process of this machine that is gone:
    /// its run need not wait for the heartbeat to go stale. Our own pid with a heartbeat from before
    /// this process started is a previous life of it (a restarted container is pid 1 again).
    /// </summary>
    internal static bool DiedOnThisMachine(string? worker, DateTimeOffset? heartbeat)
    {
        if (worker is null) return false;
        var colon = worker.LastIndexOf(':');
        if (colon <= 0 || worker[..colon] != Environment.MachineName || !int.TryParse(worker[(colon + 1)..], out var pid)) return false;
        if (pid == Environment.ProcessId) return heartbeat < ProcessStarted;
        // Process.HasExited is unreliable for processes that are not our children; existence is what
        // GetProcessById answers. A reused pid only means waiting for the heartbeat to go stale.
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return false;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    /// <param name="sameProcessOnly">True where this process is the only worker (SQLite): every "running" run at start-up is dead.</param>
    public async Task<int> RecoverAsync(bool sameProcessOnly, CancellationToken token = default)
    {
        await using var db = await factory.CreateDbContextAsync(token);
        var now = time.GetUtcNow();
        var staleBefore = now - timings.Value.StaleAfter;
        var candidates = await db.Runs.AsNoTracking()
            .Where(r => r.Status == RunStatus.Running || (r.Status == RunStatus.Queued && r.HangfireJobId == null)).ToListAsync(token);
        var recovered = 0;
        foreach (var seen in candidates)
        {
            if (seen.Status == RunStatus.Running && !sameProcessOnly && seen.HeartbeatAt > staleBefore && !DiedOnThisMachine(seen.Worker, seen.HeartbeatAt)) continue;
            // Several processes run this loop (the web app and every worker): only the one whose
            // conditional update still finds the run as it saw it hands it on, so a run is never queued twice.
            // The transition decides the new values on the copy; the update writes them only where nothing moved.
            var wasRunning = seen.Status == RunStatus.Running;
            var (status, heartbeat, job) = (seen.Status, seen.HeartbeatAt, seen.HangfireJobId);
            var cancelled = seen.CancelRequested;
            if (cancelled) seen.Cancel("cancelled", now);
            else seen.Requeue(wasRunning ? "queued again after its worker stopped; resumes from its last checkpoint" : TrainingRun.WaitingForWorker);
            var claimed = await db.Runs
                .Where(r => r.Id == seen.Id && r.Status == status && r.HeartbeatAt == heartbeat && r.HangfireJobId == job)
                .ExecuteUpdateAsync(u => u
                    .SetProperty(r => r.Status, seen.Status)
                    .SetProperty(r => r.Progress.Phase, seen.Progress.Phase)
                    .SetProperty(r => r.Progress.Detail, seen.Progress.Detail)
                    .SetProperty(r => r.FinishedAt, seen.FinishedAt)
                    .SetProperty(r => r.HeartbeatAt, seen.HeartbeatAt), token);
            if (claimed == 0 || cancelled) continue;
            var run = await db.Runs.SingleAsync(r => r.Id == seen.Id, token);
            db.RunLog.Add(new RunLogEntry
            {
                RunId = run.Id,
                Message = wasRunning
                    ? $"the worker died or stopped answering ({seen.Worker ?? "unknown"}); queued again to resume from the last checkpoint"
                    : "queued again after a restart",
            });
            await launcher.EnqueueAsync(db, run, token);
            logger.LogWarning("Run {Run} ({Status} on {Worker}) was interrupted; queued again as job {Job}", run.Id, status, seen.Worker, run.HangfireJobId);
            recovered++;
        }
        return recovered;
    }
}
