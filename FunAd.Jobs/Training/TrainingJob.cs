using FunAd.Engine.Devices;
using FunAd.Engine.Export;
using FunAd.Engine.Features;
using FunAd.Engine.Imaging;
using FunAd.Engine.Models;
using FunAd.Engine.Training;
using FunAd.Engine.Workflows;
using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Scoring;
using FunAd.Jobs.Storage;
using Hangfire;
using Hangfire.Server;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace FunAd.Jobs.Training;

/// <summary>
/// The Hangfire job that trains a run: features of the project's images (cached), FUN-AD or the
/// baseline with progress in the catalogue, checkpoints in the run's folder (a restarted job resumes
/// from them), and the model exported as one ONNX file. Labels of the images are never read.
/// </summary>
public sealed class TrainingJob(IDbContextFactory<CatalogueDbContext> factory, ArtifactStore store,
    RunCancellation cancellation, EngineDevice device, ILogger<TrainingJob> logger)
{
    private readonly RunScoring scorer = new(factory, store);

    public const string ModelFolder = "model";
    public const string OnnxFile = "model.onnx";

    /// <summary>
    /// Runs the training of <paramref name="runId"/>. Hangfire passes the job context and a token that
    /// fires when the server stops; the job then leaves the run queued so it resumes after a restart.
    /// </summary>
    // No [Queue]: it would override the queue the launcher chose (gpu or cpu).
    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(int runId, PerformContext? context, CancellationToken shutdown)
    {
        var jobId = context?.BackgroundJob.Id;
        var worker = Workers.WorkerRegistry.ThisProcess;
        TrainingRun run;
        Project project;
        await using (var db = await factory.CreateDbContextAsync(shutdown))
        {
            run = await db.Runs.Include(r => r.Project).SingleOrDefaultAsync(r => r.Id == runId, shutdown)
                ?? throw new KeyNotFoundException($"Run {runId} does not exist.");
            project = run.Project!;
            // A job that is not the run's current one (an old copy re-delivered after a restart) must not run it twice.
            if (run.Status.IsFinished() || (jobId is not null && run.HangfireJobId is not null && run.HangfireJobId != jobId))
            {
                logger.LogInformation("Run {Run}: job {Job} skipped (run is {Status}, current job {Current})", runId, jobId, run.Status, run.HangfireJobId);
                return;
            }
            // Hangfire may hand out a long job again while it still runs (its invisibility timeout); a live heartbeat says it does.
            if (run.Status == RunStatus.Running && run.HeartbeatAt > DateTimeOffset.UtcNow - RunRecovery.StaleAfter && cancellation.IsRunningHere(runId) is var here
                && (here || run.Worker != worker))
            {
                logger.LogInformation("Run {Run}: job {Job} skipped, the run is alive on {Worker}", runId, jobId, run.Worker);
                return;
            }
            if (run.CancelRequested)
            {
                Finish(run, RunStatus.Cancelled, "cancelled before it started");
                db.RunLog.Add(new RunLogEntry { RunId = runId, Message = "cancelled before it started" });
                await db.SaveChangesAsync(shutdown);
                return;
            }
            run.Status = RunStatus.Running;
            run.StartedAt ??= DateTimeOffset.UtcNow;
            run.HeartbeatAt = DateTimeOffset.UtcNow;
            run.Worker = worker;
            run.Error = null;
            db.RunLog.Add(new RunLogEntry { RunId = runId, Message = $"started on {worker} ({device.Device.Description})" });
            await db.SaveChangesAsync(shutdown);
        }

        using var source = cancellation.Register(runId, shutdown);
        // A heartbeat of its own, so a long stage that reports no progress (synthesis, export) never
        // looks like a dead worker to the recovery loop.
        await using var heartbeat = new Timer(_ => Beat(runId, worker), null, HeartbeatInterval, HeartbeatInterval);
        try
        {
            var recorder = new RunProgressRecorder(factory, runId, worker, () => source.Cancel());
            var result = await Task.Run(() => Train(run, project, recorder, source.Token), source.Token);
            await using var db = await factory.CreateDbContextAsync(CancellationToken.None);
            var done = await db.Runs.SingleAsync(r => r.Id == runId);
            done.ModelPath = result.ModelPath;
            done.OnnxPath = result.OnnxPath;
            done.ImageCount = result.Used;
            done.SelectionRule = result.SelectionRule;
            done.ResumedFromEpoch = result.ResumedFromEpoch;
            done.ExcludedImages = result.Excluded;
            done.SuggestedThreshold = result.Scoring.SuggestedThreshold;
            done.SuggestedThresholdRule = result.Scoring.SuggestedRule;
            done.ThresholdLow ??= result.Scoring.SuggestedThreshold;
            done.ThresholdHigh ??= result.Scoring.SuggestedThreshold;
            done.MapMin = result.Scoring.MapMin;
            done.MapMax = result.Scoring.MapMax;
            done.PixelAuroc = result.Scoring.PixelAuroc;
            done.Aupro = result.Scoring.Aupro;
            done.MaskedImages = result.Scoring.MaskedImages;
            done.PixelRocJson = result.Scoring.PixelRoc is { } roc ? System.Text.Json.JsonSerializer.Serialize(roc) : null;
            done.Phase = "done";
            done.Progress = 1;
            done.EtaSeconds = 0;
            Finish(done, RunStatus.Succeeded, $"trained on {result.Used} images" + (result.Refused > 0 ? $", {result.Refused} could not be read" : ""));
            db.RunLog.Add(new RunLogEntry { RunId = runId, Message = done.Detail });
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (OperationCanceledException) when (source.IsCancellationRequested)
        {
            await using var db = await factory.CreateDbContextAsync(CancellationToken.None);
            var stopped = await db.Runs.SingleAsync(r => r.Id == runId);
            if (stopped.CancelRequested || !shutdown.IsCancellationRequested)
            {
                Finish(stopped, RunStatus.Cancelled, "cancelled by a user");
                db.RunLog.Add(new RunLogEntry { RunId = runId, Message = "cancelled by a user" });
                await db.SaveChangesAsync(CancellationToken.None);
                return;
            }
            // The server is stopping: the run stays queued and Hangfire hands the job out again after the restart.
            stopped.Status = RunStatus.Queued;
            stopped.Phase = "interrupted";
            stopped.Detail = "the worker stopped; the run resumes from its last checkpoint";
            db.RunLog.Add(new RunLogEntry { RunId = runId, Message = stopped.Detail });
            await db.SaveChangesAsync(CancellationToken.None);
            throw;
        }
        catch (Exception e)
        {
            logger.LogError(e, "Run {Run} failed", runId);
            // The failure itself may be a full disk, which also refuses this write: keep trying for a
            // while, so the run says why it stopped as soon as space returns.
            await RetryAsync(async () =>
            {
                await using var db = await factory.CreateDbContextAsync(CancellationToken.None);
                var failed = await db.Runs.SingleAsync(r => r.Id == runId);
                // Recovery may have handed the run to a new job meanwhile; that job owns it now.
                if (jobId is not null && failed.HangfireJobId is not null && failed.HangfireJobId != jobId) return;
                var reason = StorageFailure.Describe(e);
                failed.Error = reason;
                Finish(failed, RunStatus.Failed, reason);
                db.RunLog.Add(new RunLogEntry { RunId = runId, Message = $"failed: {reason}" });
                await db.SaveChangesAsync(CancellationToken.None);
            }, runId);
        }
        finally
        {
            cancellation.Unregister(runId, source);
        }
    }

    public static TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(30);

    private void Beat(int runId, string worker)
    {
        try
        {
            using var db = factory.CreateDbContext();
            db.Runs.Where(r => r.Id == runId && r.Status == RunStatus.Running)
                .ExecuteUpdate(u => u.SetProperty(r => r.HeartbeatAt, DateTimeOffset.UtcNow).SetProperty(r => r.Worker, worker));
        }
        // DbException: SQLite's and PostgreSQL's errors alike (locked, disk full, connection lost).
        catch (Exception e) when (e is DbUpdateException or System.Data.Common.DbException or InvalidOperationException)
        {
            // A missed beat is harmless; two minutes of them mean the worker is in trouble, which is what the page should say.
            logger.LogWarning("Run {Run}: heartbeat not written ({Reason})", runId, e.GetBaseException().Message);
        }
    }

    /// <summary>How long a failed run keeps trying to record its failure (every <see cref="RetryDelay"/>).</summary>
    public static TimeSpan RetryFor { get; set; } = TimeSpan.FromMinutes(10);
    public static TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    private async Task RetryAsync(Func<Task> write, int runId)
    {
        var deadline = DateTime.UtcNow + RetryFor;
        while (true)
        {
            try
            {
                await write();
                return;
            }
            catch (Exception e) when (e is DbUpdateException or System.Data.Common.DbException or IOException && DateTime.UtcNow < deadline)
            {
                logger.LogWarning("Run {Run}: cannot record the failure yet ({Reason}); trying again", runId, e.GetBaseException().Message);
                await Task.Delay(RetryDelay);
            }
        }
    }

    private static void Finish(TrainingRun run, RunStatus status, string detail)
    {
        run.Status = status;
        run.Detail = detail;
        run.FinishedAt = DateTimeOffset.UtcNow;
        run.HeartbeatAt = run.FinishedAt;
    }

    private sealed record Trained(string ModelPath, string OnnxPath, int Used, int Refused, string? SelectionRule, int ResumedFromEpoch,
        int Excluded, ScoringSummary Scoring);

    private Trained Train(TrainingRun run, Project project, IProgress<StageProgress> progress, CancellationToken token)
    {
        List<ImageSource> images;
        int excluded;
        using (var db = factory.CreateDbContext())
        {
            // Every image of the project, labelled or not: training never reads a label. Only a
            // reviewer's confirmed defects may be left out, when the run asks for it.
            var confirmed = run.ExcludeConfirmedDefects
                ? db.Reviews.Where(r => r.Verdict == Verdict.Defect && r.Image!.ProjectId == project.Id).Select(r => r.ImageId).ToHashSet()
                : [];
            var all = db.Images.Where(i => i.ProjectId == project.Id).OrderBy(i => i.Id)
                .Select(i => new { i.Id, i.OriginalName, i.StoredPath }).ToList();
            images = all.Where(i => !confirmed.Contains(i.Id)).Select(i => new ImageSource(i.OriginalName, store.Resolve(i.StoredPath))).ToList();
            excluded = all.Count - images.Count;
        }
        if (images.Count == 0) throw new InvalidOperationException($"Project '{project.Name}' has no images to train on: upload some first.");
        if (excluded > 0) progress.Report(new StageProgress("features", 0, $"{excluded} confirmed defect(s) left out of training"));

        var settings = RunSettings.FromJson(run.ParametersJson);
        var mode = DetectionModeParser.Parse(project.Mode);
        var folder = ArtifactStore.RunFolder(project.Id, run.Id);
        var modelPath = $"{folder}/{ModelFolder}";
        var onnxPath = $"{folder}/{OnnxFile}";
        var context = new EngineContext(device.Device, new FeatureCache(Path.Combine(store.Root, "features")), DecodeLimits.Default);
        var resolved = settings.Resolve(mode);
        var backbone = new FunAd.Jobs.Projects.BackboneFolder(store.Root).Resolve(project.Backbone);
        var request = new TrainRequest(images, store.Resolve(modelPath), settings.Method, mode, backbone,
            new FeatureSettings(CenterCrop: false), resolved.PatchCore, resolved.FunAd, settings.Profile, Bank: resolved.Bank);
        var result = TrainWorkflow.Run(context, request, progress, token);

        progress.Report(new StageProgress("export", 0, "writing the ONNX model"));
        using (var model = ModelDirectory.Load(request.OutputDirectory, device.Device))
        {
            var target = store.Resolve(onnxPath);
            var temporary = target + ArtifactStore.TemporarySuffix;
            ModelExporter.Export(model, temporary);
            File.Move(temporary, target, overwrite: true);
        }
        progress.Report(new StageProgress("export", 1, "ONNX model written"));
        var scoring = scorer.Score(run.Id, project.Id, request.OutputDirectory, device.Device, progress, token);
        var rule = result.Manifest.Settings.TryGetValue("selectionRule", out var value) ? value.GetString() : null;
        return new Trained(modelPath, onnxPath, result.Used, result.Refused.Count, rule, result.ResumedFromEpoch, excluded, scoring);
    }
}
