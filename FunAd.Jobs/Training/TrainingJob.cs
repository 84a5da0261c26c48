using FunAd.Engine.Export;
using FunAd.Engine.Features;
using FunAd.Engine.Imaging;
using FunAd.Engine.Models;
using FunAd.Engine.Workflows;
using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Hosting;
using FunAd.Jobs.Projects;
using FunAd.Jobs.Scoring;
using FunAd.Jobs.Storage;
using FunAd.Jobs.Workers;
using Hangfire;
using Hangfire.Server;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FunAd.Jobs.Training;

/// <summary>
/// The Hangfire job that trains a run: features of the project's images (cached), FUN-AD or the
/// baseline with progress in the catalogue, checkpoints in the run's folder (a restarted job resumes
/// from them), and the model exported as one ONNX file. Labels of the images are never read.
/// It orchestrates: the run's status changes through <see cref="TrainingRun"/>'s transitions, paths
/// come from <see cref="ArtifactStore"/>, scoring from <see cref="RunScoring"/>.
/// </summary>
public sealed class TrainingJob(IDbContextFactory<CatalogueDbContext> factory, ArtifactStore store, RunCancellation cancellation,
    EngineDevice device, RunScoring scorer, BackboneFolder backbones, IOptions<RecoveryTimings> timings, TimeProvider time,
    ILogger<TrainingJob> logger)
{
    /// <summary>
    /// Runs the training of <paramref name="runId"/>. Hangfire passes the job context and a token that
    /// fires when the server stops; the job then leaves the run queued so it resumes after a restart.
    /// </summary>
    // No [Queue]: it would override the queue the launcher chose (gpu or cpu).
    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(int runId, PerformContext? context, CancellationToken shutdown)
    {
        var jobId = context?.BackgroundJob.Id;
        var worker = WorkerRegistry.ThisProcess;
        var (run, project) = await TakeAsync(runId, jobId, worker, shutdown);
        if (run is null) return;

        using var source = cancellation.Register(runId, shutdown);
        // A heartbeat of its own, so a long stage that reports no progress (synthesis, export) never
        // looks like a dead worker to the recovery loop.
        await using var heartbeat = time.CreateTimer(_ => Beat(runId, worker), null, timings.Value.Heartbeat, timings.Value.Heartbeat);
        try
        {
            var recorder = new RunProgressRecorder(factory, runId, worker, () => source.Cancel(), time);
            var result = await Task.Run(() => Train(run, project!, recorder, source.Token), source.Token);
            await using var db = await factory.CreateDbContextAsync(CancellationToken.None);
            var done = await db.Runs.SingleAsync(r => r.Id == runId);
            done.RecordResults(result.ModelPath, result.OnnxPath, result.Used, result.SelectionRule, result.ResumedFromEpoch, result.Excluded, result.Scoring);
            done.Complete($"trained on {result.Used} images" + (result.Refused > 0 ? $", {result.Refused} could not be read" : "")
                + (result.Scoring.OwnRowsLeftOut > 0 ? $"; {result.Scoring.OwnRowsLeftOut} of them scored without their own memory-bank rows, as new images would be" : ""),
                time.GetUtcNow());
            db.RunLog.Add(new RunLogEntry { RunId = runId, At = time.GetUtcNow(), Message = done.Progress.Detail });
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (OperationCanceledException) when (source.IsCancellationRequested)
        {
            if (await StoppedAsync(runId, shutdown.IsCancellationRequested)) throw;
        }
        catch (Exception e)
        {
            logger.LogError(e, "Run {Run} failed", runId);
            await FailedAsync(runId, jobId, StorageFailure.Describe(e));
        }
        finally
        {
            cancellation.Unregister(runId, source);
        }
    }

    /// <summary>
    /// Marks the run as started by this job, or answers null when this job must not run it: it has
    /// finished, another job owns it (an old copy re-delivered after a restart), or it is alive on a worker
    /// (Hangfire may hand out a long job again while it still runs). A run cancelled while queued ends here.
    /// </summary>
    private async Task<(TrainingRun? Run, Project? Project)> TakeAsync(int runId, string? jobId, string worker, CancellationToken shutdown)
    {
        await using var db = await factory.CreateDbContextAsync(shutdown);
        var run = await db.Runs.Include(r => r.Project).SingleOrDefaultAsync(r => r.Id == runId, shutdown)
            ?? throw new KeyNotFoundException($"Run {runId} does not exist.");
        var now = time.GetUtcNow();
        if (run.Status.IsFinished() || (jobId is not null && run.HangfireJobId is not null && run.HangfireJobId != jobId))
        {
            logger.LogInformation("Run {Run}: job {Job} skipped (run is {Status}, current job {Current})", runId, jobId, run.Status, run.HangfireJobId);
            return (null, null);
        }
        if (run.Status == RunStatus.Running && run.HeartbeatAt > now - timings.Value.StaleAfter && cancellation.IsRunningHere(runId) is var here
            && (here || run.Worker != worker))
        {
            logger.LogInformation("Run {Run}: job {Job} skipped, the run is alive on {Worker}", runId, jobId, run.Worker);
            return (null, null);
        }
        if (run.CancelRequested)
        {
            run.Cancel("cancelled before it started", now);
            db.RunLog.Add(new RunLogEntry { RunId = runId, At = now, Message = "cancelled before it started" });
            await db.SaveChangesAsync(shutdown);
            return (null, null);
        }
        run.Start(worker, now);
        db.RunLog.Add(new RunLogEntry { RunId = runId, At = now, Message = $"started on {worker} ({device.Device.Description})" });
        await db.SaveChangesAsync(shutdown);
        return (run, run.Project);
    }

    /// <summary>
    /// The job stopped on its token: a user's cancel ends the run; a stopping server leaves it queued,
    /// and Hangfire hands the job out again after the restart (it resumes from its last checkpoint).
    /// True when the run went back to the queue (the job must then end as interrupted, not done).
    /// </summary>
    private async Task<bool> StoppedAsync(int runId, bool serverStopping)
    {
        await using var db = await factory.CreateDbContextAsync(CancellationToken.None);
        var stopped = await db.Runs.SingleAsync(r => r.Id == runId);
        var requeue = serverStopping && !stopped.CancelRequested;
        if (requeue) stopped.Requeue("the worker stopped; the run resumes from its last checkpoint");
        else stopped.Cancel("cancelled by a user", time.GetUtcNow());
        db.RunLog.Add(new RunLogEntry { RunId = runId, At = time.GetUtcNow(), Message = stopped.Progress.Detail });
        await db.SaveChangesAsync(CancellationToken.None);
        return requeue;
    }

    /// <summary>
    /// Records why the run failed. The failure itself may be a full disk, which also refuses this write:
    /// it keeps trying for a while, so the run says why it stopped as soon as space returns.
    /// </summary>
    private async Task FailedAsync(int runId, string? jobId, string reason)
    {
        var deadline = time.GetUtcNow() + timings.Value.FailureRetry;
        while (true)
        {
            try
            {
                await using var db = await factory.CreateDbContextAsync(CancellationToken.None);
                var failed = await db.Runs.SingleAsync(r => r.Id == runId);
                // Recovery may have handed the run to a new job meanwhile (that job owns it now), or a user cancelled it.
                if (jobId is not null && failed.HangfireJobId is not null && failed.HangfireJobId != jobId) return;
                if (failed.Status.IsFinished()) return;
                failed.Fail(reason, time.GetUtcNow());
                db.RunLog.Add(new RunLogEntry { RunId = runId, At = time.GetUtcNow(), Message = $"failed: {reason}" });
                await db.SaveChangesAsync(CancellationToken.None);
                return;
            }
            catch (Exception e) when (e is DbUpdateException or System.Data.Common.DbException or IOException && time.GetUtcNow() < deadline)
            {
                logger.LogWarning("Run {Run}: cannot record the failure yet ({Reason}); trying again", runId, e.GetBaseException().Message);
                await Task.Delay(timings.Value.FailureRetryDelay, time);
            }
        }
    }

    /// <summary>The heartbeat as one conditional update: it only ever touches a run that is still running.</summary>
    private void Beat(int runId, string worker)
    {
        try
        {
            using var db = factory.CreateDbContext();
            var now = time.GetUtcNow();
            db.Runs.Where(r => r.Id == runId && r.Status == RunStatus.Running)
                .ExecuteUpdate(u => u.SetProperty(r => r.HeartbeatAt, now).SetProperty(r => r.Worker, worker));
        }
        // DbException: SQLite's and PostgreSQL's errors alike (locked, disk full, connection lost).
        catch (Exception e) when (e is DbUpdateException or System.Data.Common.DbException or InvalidOperationException)
        {
            // A missed beat is harmless; beats missed until StaleAfter mean the worker is in trouble, which is what the page should say.
            logger.LogWarning("Run {Run}: heartbeat not written ({Reason})", runId, e.GetBaseException().Message);
        }
    }

    private sealed record Trained(string ModelPath, string OnnxPath, int Used, int Refused, string? SelectionRule, int ResumedFromEpoch,
        int Excluded, ScoringSummary Scoring);

    private Trained Train(TrainingRun run, Project project, IProgress<StageProgress> progress, CancellationToken token)
    {
        List<ImageSource> images;
        HashSet<long> trainedIds;
        int excluded, heldOut, setAside;
        using (var db = factory.CreateDbContext())
        {
            // Every image of the project, labelled or not: training never reads a label. Images a
            // reviewer left out of training stay out; a reviewer's confirmed defects may be left out,
            // and the labelled images held out for an honest evaluation, when the run asks for it.
            var confirmed = run.ExcludeConfirmedDefects
                ? db.Reviews.Where(r => r.Verdict == Verdict.Defect && r.Image!.ProjectId == project.Id).Select(r => r.ImageId).ToHashSet()
                : [];
            var all = db.Images.Where(i => i.ProjectId == project.Id).OrderBy(i => i.Id)
                .Select(i => new { i.Id, i.OriginalName, i.StoredPath, i.Label, i.LeftOutOfTraining }).ToList();
            var kept = all.Where(i => !confirmed.Contains(i.Id) && !i.LeftOutOfTraining).ToList();
            var trained = run.HoldOutLabelled ? kept.Where(i => i.Label == ImageLabel.Unlabeled || TrainingSplit.Contains(i.OriginalName)).ToList() : kept;
            images = trained.Select(i => new ImageSource(i.OriginalName, store.Resolve(i.StoredPath))).ToList();
            trainedIds = trained.Select(i => i.Id).ToHashSet();
            excluded = all.Count - kept.Count;
            setAside = all.Count(i => i.LeftOutOfTraining);
            heldOut = kept.Count - trained.Count;
        }
        if (images.Count == 0)
            throw new InvalidOperationException(heldOut > 0
                ? $"Project '{project.Name}' has no images to train on while its {heldOut} labelled image(s) are held out: upload unlabeled images (or a {TrainingSplit.FolderName}/ folder), or train on everything."
                : excluded > 0
                    ? $"Project '{project.Name}' has no images to train on: all {excluded} are left out of training (by a reviewer, or as confirmed defects)."
                    : $"Project '{project.Name}' has no images to train on: upload some first.");
        // One report: the recorder writes a stage's first report at once and the next ones at most once a second.
        var leftOut = new[] { setAside > 0 ? $"{setAside} image(s) a reviewer left out of training" : null,
            excluded > setAside ? $"{excluded - setAside} confirmed defect(s) left out of training" : null,
            heldOut > 0 ? $"{heldOut} labelled image(s) held out of training for evaluation" : null }.OfType<string>().ToList();
        if (leftOut.Count > 0) progress.Report(new StageProgress(Stages.Features, 0, string.Join("; ", leftOut)));

        var settings = RunSettings.FromJson(run.ParametersJson);
        var mode = DetectionModeParser.Parse(project.Mode);
        var modelPath = ArtifactStore.RunModelFolder(project.Id, run.Id);
        var onnxPath = ArtifactStore.RunOnnxFile(project.Id, run.Id);
        var context = new EngineContext(device.Device, new FeatureCache(store.FeatureCacheFolder), DecodeLimits.Default);
        var resolved = settings.Resolve(mode);
        var backbone = backbones.Resolve(project.Backbone);
        var request = new TrainRequest(images, store.Resolve(modelPath), settings.Method, mode, backbone,
            new FeatureSettings(CenterCrop: false), resolved.PatchCore, resolved.FunAd, settings.Profile, Bank: resolved.Bank);
        var result = TrainWorkflow.Run(context, request, progress, token);

        progress.Report(new StageProgress(Stages.Export, 0, "writing the ONNX model"));
        using (var model = ModelDirectory.Load(request.OutputDirectory, device.Device))
        {
            var target = store.Resolve(onnxPath);
            var temporary = target + ArtifactStore.TemporarySuffix;
            ModelExporter.Export(model, temporary);
            File.Move(temporary, target, overwrite: true);
        }
        progress.Report(new StageProgress(Stages.Export, 1, "ONNX model written"));
        var scoring = scorer.Score(run.Id, project.Id, request.OutputDirectory, device.Device, progress, token, trainedIds, run.HoldOutLabelled);
        var rule = result.Manifest.Settings.TryGetValue("selectionRule", out var value) ? value.GetString() : null;
        return new Trained(modelPath, onnxPath, result.Used, result.Refused.Count, rule, result.ResumedFromEpoch, excluded, scoring);
    }
}
