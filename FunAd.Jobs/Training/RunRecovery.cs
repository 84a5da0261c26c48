using FunAd.Jobs.Catalogue;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace FunAd.Jobs.Training;

/// <summary>
/// At start-up, finds runs that a dead process left behind and queues them again: "running" runs
/// whose heartbeat stopped (the process was killed) resume from their last checkpoint, and queued
/// runs that never reached Hangfire are handed to it. Queued runs Hangfire holds run on their own.
/// </summary>
public sealed class RunRecovery(IDbContextFactory<CatalogueDbContext> factory, RunLauncher launcher, ILogger<RunRecovery> logger)
{
    /// <summary>A running run without a heartbeat for this long is taken to be dead (its worker writes every second while busy).</summary>
    public static TimeSpan StaleAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Keeps recovering while the app runs: queued runs the job queue never got, and running runs
    /// whose worker stopped beating (a job that died on a full disk, a worker machine gone).
    /// </summary>
    public async Task LoopAsync(TimeSpan every, CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every, token);
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

    /// <param name="sameProcessOnly">True where this process is the only worker (SQLite): every "running" run at start-up is dead.</param>
    public async Task<int> RecoverAsync(bool sameProcessOnly, CancellationToken token = default)
    {
        await using var db = await factory.CreateDbContextAsync(token);
        var staleBefore = DateTimeOffset.UtcNow - StaleAfter;
        var candidates = await db.Runs.Where(r => r.Status == RunStatus.Running || (r.Status == RunStatus.Queued && r.HangfireJobId == null)).ToListAsync(token);
        var recovered = 0;
        foreach (var run in candidates)
        {
            if (run.Status == RunStatus.Running && !sameProcessOnly && run.HeartbeatAt > staleBefore) continue;
            var was = run.Status;
            if (run.CancelRequested)
            {
                run.Status = RunStatus.Cancelled;
                run.FinishedAt = DateTimeOffset.UtcNow;
                run.Detail = "cancelled";
                await db.SaveChangesAsync(token);
                continue;
            }
            run.Status = RunStatus.Queued;
            run.Phase = "interrupted";
            run.Detail = "queued again after a restart; resumes from its last checkpoint";
            db.RunLog.Add(new RunLogEntry { RunId = run.Id, Message = was == RunStatus.Running ? "the worker died; queued again to resume from the last checkpoint" : "queued again after a restart" });
            await launcher.EnqueueAsync(db, run, token);
            logger.LogWarning("Run {Run} ({Status}) was interrupted; queued again as job {Job}", run.Id, was, run.HangfireJobId);
            recovered++;
        }
        return recovered;
    }
}
