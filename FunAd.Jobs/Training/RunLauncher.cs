using FunAd.Engine.Models;
using FunAd.Jobs.Audit;
using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Hosting;
using FunAd.Jobs.Workers;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace FunAd.Jobs.Training;

/// <summary>Starts and cancels training runs: a catalogue row first, then the Hangfire job that works on it.</summary>
public sealed class RunLauncher(IDbContextFactory<CatalogueDbContext> factory, IBackgroundJobClient jobs, RunCancellation cancellation,
    WorkerRegistry workers, AuditLog audit, TimeProvider time, CatalogueOptions options, ILogger<RunLauncher> logger)
{

    /// <summary>Queues a run of the project with these settings; throws ArgumentException for bad settings.</summary>
    public async Task<TrainingRun> StartAsync(int projectId, RunSettings settings, string? startedBy, CancellationToken token = default)
    {
        await using var db = await factory.CreateDbContextAsync(token);
        var project = await db.Projects.SingleOrDefaultAsync(p => p.Id == projectId, token)
            ?? throw new KeyNotFoundException($"Project {projectId} does not exist.");
        if (project.Archived) throw new InvalidOperationException($"Project '{project.Name}' is archived: restore it to train.");
        AnomalyMethod.Require(settings.Method);
        var imageCount = await db.Images.CountAsync(i => i.ProjectId == projectId, token);
        if (imageCount == 0) throw new InvalidOperationException($"Project '{project.Name}' has no images yet: upload some first.");
        var mode = DetectionModeParser.Parse(project.Mode);
        var resolved = settings.Resolve(mode);
        var json = settings.ToJson(resolved);
        var run = new TrainingRun
        {
            ProjectId = projectId, Method = settings.Method, Profile = settings.Profile, Seed = settings.Seed, ParametersJson = json,
            ImageCount = imageCount, CreatedBy = startedBy, CreatedAt = time.GetUtcNow(),
            Progress = { Epochs = resolved.FunAd?.Epochs ?? 0 },
            ExcludeConfirmedDefects = settings.ExcludeConfirmedDefects,
            HoldOutLabelled = settings.HoldOutLabelled,
        };
        db.Runs.Add(run);
        await db.SaveChangesAsync(token);
        db.RunLog.Add(new RunLogEntry { RunId = run.Id, Message = $"queued by {startedBy ?? "an API key"}: {settings.Method}, profile {settings.Profile}, {imageCount} images" });
        try
        {
            await EnqueueAsync(db, run, token);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The run is recorded; the recovery loop hands it to the job queue as soon as the queue answers.
            logger.LogWarning(e, "Run {Run} is queued but not yet handed to the job queue", run.Id);
        }
        await audit.RecordAsync(startedBy, "run started", $"run {run.Id}", $"project {projectId}, {settings.Method}, profile {settings.Profile}, seed {settings.Seed}, {imageCount} images", token);
        return run;
    }

    /// <summary>
    /// Hands the run to Hangfire on its queue (<see cref="WorkerRegistry.ChooseQueueAsync"/>) and records
    /// the job's id (the job refuses to run a run that names another job).
    /// </summary>
    internal async Task EnqueueAsync(CatalogueDbContext db, TrainingRun run, CancellationToken token)
    {
        var queue = await workers.ChooseQueueAsync(options.RunQueue, token);
        run.HangfireJobId = jobs.Create(Job.FromExpression<TrainingJob>(job => job.RunAsync(run.Id, null, CancellationToken.None)), new EnqueuedState(queue));
        db.RunLog.Add(new RunLogEntry { RunId = run.Id, Message = $"handed to the job queue '{queue}' (job {run.HangfireJobId})" });
        await db.SaveChangesAsync(token);
    }

    /// <summary>Cancels a queued or running run; false when it had already finished.</summary>
    public async Task<bool> CancelAsync(int runId, string? by, CancellationToken token = default)
    {
        await using var db = await factory.CreateDbContextAsync(token);
        var run = await db.Runs.SingleOrDefaultAsync(r => r.Id == runId, token)
            ?? throw new KeyNotFoundException($"Run {runId} does not exist.");
        if (!run.RequestCancel()) return false;
        db.RunLog.Add(new RunLogEntry { RunId = runId, Message = $"cancel requested by {by ?? "an API key"}" });
        // A queued run stops here; a running one when its job next reads the flag (on any worker).
        if (run.Status == RunStatus.Queued)
        {
            run.Cancel("cancelled before it started", time.GetUtcNow());
            if (run.HangfireJobId is { } job) jobs.Delete(job);
        }
        await db.SaveChangesAsync(token);
        cancellation.TryCancel(runId);
        await audit.RecordAsync(by, "run cancelled", $"run {runId}", null, token);
        return true;
    }
}
