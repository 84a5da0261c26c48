using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Hosting;
using FunAd.Jobs.Scoring;
using FunAd.Jobs.Storage;
using FunAd.Jobs.Training;
using FunAd.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.ML.OnnxRuntime;

namespace FunAd.Tests.Jobs;

/// <summary>The training job on a real catalogue and store: it trains, records progress, cancels, and resumes after an interruption.</summary>
public abstract class TrainingJobTests : IDisposable
{
    public sealed class OnSqlite() : TrainingJobTests(CatalogueProvider.Sqlite);
    public sealed class OnPostgres() : TrainingJobTests(CatalogueProvider.Postgres), IRunsOnPostgres;

    private readonly CatalogueFixture catalogue;
    private readonly TemporaryFolder images = new();
    private readonly RecordingJobClient jobs = new();
    private readonly JobParts parts;
    private readonly RunLauncher launcher;

    private TrainingJobTests(CatalogueProvider provider)
    {
        catalogue = new CatalogueFixture(provider);
        parts = new JobParts(catalogue, jobs);
        launcher = parts.Launcher();
    }

    private TrainingJob Job() => parts.Job();

    private async Task<int> ProjectWithImagesAsync(int count = 8)
    {
        var project = await catalogue.AddProjectAsync();
        var paths = Enumerable.Range(0, count).Select(i =>
        {
            using var crop = TestImages.BrickCrop(i % 4 * 100, i / 4 * 100, 96);
            return TestImages.Save(crop, images.Combine($"{i:00}.png"));
        }).ToList();
        await catalogue.AddImagesAsync(project.Id, paths);
        return project.Id;
    }

    private static RunSettings Quick(int epochs) => new("funad", "fast", 3, new Dictionary<string, string>
    {
        ["epochs"] = epochs.ToString(), ["batchSize"] = "4", ["checkpointEvery"] = "1", ["syntheticAnomalies"] = "false",
    });

    private async Task<TrainingRun> ReadAsync(int id)
    {
        await using var db = await catalogue.Factory.CreateDbContextAsync();
        return await db.Runs.Include(r => r.EpochHistory).Include(r => r.Log).AsNoTracking().SingleAsync(r => r.Id == id);
    }

    [CatalogueFact]
    public async Task A_run_trains_records_its_epochs_and_exports_an_onnx_model()
    {
        var project = await ProjectWithImagesAsync();
        var run = await launcher.StartAsync(project, Quick(3), "tester");
        Assert.Equal(RunStatus.Queued, run.Status);
        Assert.Equal("job-1", run.HangfireJobId);

        await Job().RunAsync(run.Id, null, CancellationToken.None);

        var done = await ReadAsync(run.Id);
        Assert.True(done.Status == RunStatus.Succeeded, done.Error);
        Assert.Equal(1.0, done.Progress.Fraction);
        Assert.Equal(8, done.ImageCount);
        Assert.Equal([1, 2, 3], done.EpochHistory.OrderBy(e => e.Epoch).Select(e => e.Epoch));
        Assert.All(done.EpochHistory, e => Assert.True(double.IsFinite(e.Loss) && e.Loss > 0));
        Assert.Contains(done.Log, l => l.Message.StartsWith("started on"));
        Assert.Contains(done.Log, l => l.Message.StartsWith("training"));
        // The log follows the epochs (here every one of three).
        Assert.Equal(["epoch 1/3", "epoch 2/3", "epoch 3/3"], done.Log.Where(l => l.Message.StartsWith("epoch ")).Select(l => l.Message.Split(':')[0]));
        Assert.NotNull(done.Outcome.SelectionRule);
        using var session = new InferenceSession(catalogue.Store.Resolve(done.Outcome.OnnxPath!));
        Assert.Contains("pred_score", session.OutputMetadata.Keys);
        Assert.True(Directory.Exists(catalogue.Store.Resolve(done.Outcome.ModelPath!)));

        // Then every image of the project is scored once, with a stored heatmap, and a threshold is suggested.
        await using var db = await catalogue.Factory.CreateDbContextAsync();
        var scores = await db.Scores.Where(s => s.RunId == run.Id).ToListAsync();
        Assert.Equal(8, scores.Count);
        Assert.All(scores, s => Assert.True(catalogue.Store.Exists(s.HeatmapPath!), s.HeatmapPath));
        Assert.Equal(0.5, done.Outcome.SuggestedThreshold);
        // NG from the suggestion, review from just below it (apart wherever an image scores below it).
        Assert.Equal(0.5, done.Thresholds.High);
        Assert.Equal(ReviewBand.ReviewFrom(0.5, scores.Select(s => s.Score)), done.Thresholds.Low);
        Assert.True(done.Thresholds.Low <= done.Thresholds.High);
        Assert.True(done.Outcome.MapMax > done.Outcome.MapMin);
        // The map values the viewer colours lie beside each heatmap; the colour scale starts at a typical
        // image's peak, so the image with the lowest peak is wholly below it (transparent).
        var maps = scores.Select(s => FunAd.Engine.Visualization.HeatmapValues.Decode(File.ReadAllBytes(catalogue.Store.Resolve(ArtifactStore.HeatmapValuesBeside(s.HeatmapPath!))))).ToList();
        Assert.All(maps, m => Assert.Equal((56, 56), (m.Width, m.Height)));
        Assert.Contains(maps, m => m.Values.Max() <= done.Outcome.MapMin);
        Assert.Contains(maps, m => m.Values.Max() > done.Outcome.MapMin);
        Assert.Null(done.Outcome.PixelAuroc);
    }

    [CatalogueFact]
    public async Task Cancel_stops_a_running_run()
    {
        var project = await ProjectWithImagesAsync();
        var run = await launcher.StartAsync(project, Quick(500), "tester");

        var job = Task.Run(() => Job().RunAsync(run.Id, null, CancellationToken.None));
        await WaitForAsync(run.Id, r => r.Progress.Phase == "training" && r.Progress.Epoch >= 1);
        Assert.True(await launcher.CancelAsync(run.Id, "tester"));
        await job.WaitAsync(TimeSpan.FromMinutes(2));

        var stopped = await ReadAsync(run.Id);
        Assert.Equal(RunStatus.Cancelled, stopped.Status);
        Assert.True(stopped.Progress.Epoch < 500);
        Assert.False(await launcher.CancelAsync(run.Id, "tester"));
    }

    [CatalogueFact]
    public async Task A_queued_run_cancelled_before_it_starts_never_trains()
    {
        var project = await ProjectWithImagesAsync(4);
        var run = await launcher.StartAsync(project, Quick(2), "tester");

        Assert.True(await launcher.CancelAsync(run.Id, "tester"));
        Assert.Equal(["job-1"], jobs.Deleted);
        await Job().RunAsync(run.Id, null, CancellationToken.None);

        var stopped = await ReadAsync(run.Id);
        Assert.Equal(RunStatus.Cancelled, stopped.Status);
        Assert.Null(stopped.StartedAt);
    }

    [CatalogueFact]
    public async Task A_run_interrupted_by_a_stopping_server_is_requeued_and_resumes_from_its_checkpoint()
    {
        var project = await ProjectWithImagesAsync();
        var run = await launcher.StartAsync(project, Quick(20), "tester");
        using var shutdown = new CancellationTokenSource();

        var job = Task.Run(() => Job().RunAsync(run.Id, null, shutdown.Token));
        await WaitForAsync(run.Id, r => r.Progress.Phase == "training" && r.Progress.Epoch >= 3);
        await shutdown.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => job);

        var interrupted = await ReadAsync(run.Id);
        Assert.Equal(RunStatus.Queued, interrupted.Status);
        Assert.Equal("interrupted", interrupted.Progress.Phase);

        await Job().RunAsync(run.Id, null, CancellationToken.None);
        var done = await ReadAsync(run.Id);
        Assert.True(done.Status == RunStatus.Succeeded, done.Error);
        Assert.True(done.Outcome.ResumedFromEpoch >= 3, $"resumed from {done.Outcome.ResumedFromEpoch}");
        Assert.Contains(done.Log, l => l.Message.StartsWith($"resumed from the checkpoint: continuing at epoch {done.Outcome.ResumedFromEpoch + 1} of 20"));
        Assert.Equal(Enumerable.Range(1, 20), done.EpochHistory.OrderBy(e => e.Epoch).Select(e => e.Epoch));
    }

    [CatalogueFact]
    public async Task Recovery_requeues_runs_a_dead_process_left_running_and_runs_that_never_reached_hangfire()
    {
        var project = await ProjectWithImagesAsync(4);
        await using (var db = await catalogue.Factory.CreateDbContextAsync())
        {
            db.Runs.Add(new TrainingRun { ProjectId = project, Method = "funad", Profile = "fast", ParametersJson = Quick(2).ToJson(Engine.Models.DetectionMode.Defect),
                Status = RunStatus.Running, HangfireJobId = "old", HeartbeatAt = DateTimeOffset.UtcNow });
            db.Runs.Add(new TrainingRun { ProjectId = project, Method = "funad", Profile = "fast", ParametersJson = Quick(2).ToJson(Engine.Models.DetectionMode.Defect),
                Status = RunStatus.Queued });
            db.Runs.Add(new TrainingRun { ProjectId = project, Method = "funad", Profile = "fast", ParametersJson = Quick(2).ToJson(Engine.Models.DetectionMode.Defect),
                Status = RunStatus.Succeeded, HangfireJobId = "done" });
            await db.SaveChangesAsync();
        }
        var recovery = parts.Recovery(launcher);

        // Another worker's fresh heartbeat means alive: only the run that never reached Hangfire is queued.
        Assert.Equal(1, await recovery.RecoverAsync(sameProcessOnly: false));
        // As the only worker, every "running" run at start-up is dead.
        Assert.Equal(1, await recovery.RecoverAsync(sameProcessOnly: true));

        await using var check = await catalogue.Factory.CreateDbContextAsync();
        var runs = await check.Runs.OrderBy(r => r.Id).ToListAsync();
        Assert.Equal([RunStatus.Queued, RunStatus.Queued, RunStatus.Succeeded], runs.Select(r => r.Status));
        Assert.Equal(2, jobs.Created.Count);
        Assert.NotEqual("old", runs[0].HangfireJobId);
        Assert.Equal("done", runs[2].HangfireJobId);
    }

    [CatalogueFact]
    public async Task A_run_that_holds_labelled_images_out_trains_on_the_others_and_scores_them_all()
    {
        var project = await ProjectWithImagesAsync(8);
        await using (var db = await catalogue.Factory.CreateDbContextAsync())
        {
            var labelled = await db.Images.OrderBy(i => i.Id).Take(3).ToListAsync();
            foreach (var image in labelled) image.Label = image.Id % 2 == 0 ? ImageLabel.Normal : ImageLabel.Anomalous;
            await db.SaveChangesAsync();
        }
        var run = await launcher.StartAsync(project, Quick(1) with { HoldOutLabelled = true }, "tester");

        await Job().RunAsync(run.Id, null, CancellationToken.None);

        var done = await ReadAsync(run.Id);
        Assert.True(done.Status == RunStatus.Succeeded, done.Error);
        Assert.True(done.HoldOutLabelled);
        Assert.Equal(5, done.ImageCount);
        Assert.Contains(done.Log, l => l.Message.Contains("3 labelled image(s) held out of training"));
        await using var check = await catalogue.Factory.CreateDbContextAsync();
        Assert.Equal(8, await check.Scores.CountAsync(s => s.RunId == run.Id));
    }

    [CatalogueFact]
    public async Task A_patchcore_run_scores_each_image_it_trained_on_without_its_own_bank_rows()
    {
        // Every patch in the bank: an image scored with its own rows would be at distance zero everywhere.
        var project = await ProjectWithImagesAsync(6);
        var run = await launcher.StartAsync(project, new RunSettings("patchcore", "fast", 0, CoresetRatio: 1), "tester");

        await Job().RunAsync(run.Id, null, CancellationToken.None);

        var done = await ReadAsync(run.Id);
        Assert.True(done.Status == RunStatus.Succeeded, done.Error);
        Assert.Equal(6, done.Outcome.OwnRowsLeftOut);
        await using var db = await catalogue.Factory.CreateDbContextAsync();
        var scores = await db.Scores.Where(s => s.RunId == run.Id).Select(s => s.Score).ToListAsync();
        Assert.Equal(6, scores.Count);
        Assert.All(scores, s => Assert.True(s > 0.1, $"a training image scored {s}: it found itself in the bank"));
        Assert.Contains(done.Log, l => l.Message.Contains("6 of them scored without their own memory-bank rows"));
        Assert.DoesNotContain("holds those very images", RunEvaluation.Describe(done));
    }

    [CatalogueFact]
    public async Task A_held_out_run_trains_on_an_mvtec_training_split_and_counts_only_the_images_it_did_not_train_on()
    {
        // An MVTec-style upload labels every image: train/good "good", test/good and test/<defect> too.
        // Holding every labelled image out left nothing to train on; the training split is trained on, and
        // only the test images count in the metrics (a verdict on a trained image included).
        var project = await ProjectWithImagesAsync(8);
        await using (var db = await catalogue.Factory.CreateDbContextAsync())
        {
            var all = await db.Images.OrderBy(i => i.Id).ToListAsync();
            for (var i = 0; i < all.Count; i++)
            {
                (all[i].OriginalName, all[i].Label) = i switch
                {
                    < 5 => ($"set.zip/bricks/train/good/{i:00}.png", ImageLabel.Normal),
                    < 7 => ($"set.zip/bricks/test/good/{i:00}.png", ImageLabel.Normal),
                    _ => ($"set.zip/bricks/test/crack/{i:00}.png", ImageLabel.Anomalous),
                };
            }
            db.Reviews.Add(new Review { ImageId = all[0].Id, Verdict = Verdict.Defect, By = "tester" });
            await db.SaveChangesAsync();
        }
        var run = await launcher.StartAsync(project, Quick(1) with { HoldOutLabelled = true }, "tester");

        await Job().RunAsync(run.Id, null, CancellationToken.None);

        var done = await ReadAsync(run.Id);
        Assert.True(done.Status == RunStatus.Succeeded, done.Error);
        Assert.Equal(5, done.ImageCount);
        Assert.Contains(done.Log, l => l.Message.Contains("3 labelled image(s) held out of training"));
        var scored = await new RunResults(catalogue.Factory, catalogue.Store).ListAsync(run.Id);
        Assert.Equal(8, scored.Count);
        Assert.Equal(["test/crack/07.png", "test/good/05.png", "test/good/06.png"],
            scored.Where(i => i.IsDefect is not null).Select(i => i.Name[(i.Name.IndexOf("test/", StringComparison.Ordinal))..]).Order());
        var metrics = RunMetrics.Compute(scored, 0, double.MaxValue);
        Assert.Equal((3, 1, 2), (metrics.Labelled, metrics.Defects, metrics.Normals));

        // The same set trained on everything is in-sample: every labelled image counts, the verdict too.
        var inSample = await launcher.StartAsync(project, Quick(1), "tester");
        await Job().RunAsync(inSample.Id, null, CancellationToken.None);
        var everything = RunMetrics.Compute(await new RunResults(catalogue.Factory, catalogue.Store).ListAsync(inSample.Id), 0, double.MaxValue);
        Assert.Equal((8, 2), (everything.Labelled, everything.Defects));
        // The runs table says on how many images each run was measured.
        var rows = await new RunComparison(catalogue.Factory, new RunResults(catalogue.Factory, catalogue.Store)).CompareAsync(project);
        Assert.Equal([(inSample.Id, 8), (run.Id, 3)], rows.Select(r => (r.Run.Id, r.Labelled)));
    }

    [CatalogueFact]
    public async Task Images_a_reviewer_left_out_are_not_trained_on_but_are_scored()
    {
        var project = await ProjectWithImagesAsync(8);
        await using (var db = await catalogue.Factory.CreateDbContextAsync())
        {
            var leftOut = await db.Images.OrderBy(i => i.Id).Take(2).ToListAsync();
            foreach (var image in leftOut) image.LeftOutOfTraining = true;
            await db.SaveChangesAsync();
        }
        var run = await launcher.StartAsync(project, Quick(1), "tester");

        await Job().RunAsync(run.Id, null, CancellationToken.None);

        var done = await ReadAsync(run.Id);
        Assert.True(done.Status == RunStatus.Succeeded, done.Error);
        Assert.Equal(6, done.ImageCount);
        Assert.Equal(2, done.Outcome.ExcludedImages);
        Assert.Contains(done.Log, l => l.Message.Contains("2 image(s) a reviewer left out of training"));
        await using var check = await catalogue.Factory.CreateDbContextAsync();
        Assert.Equal(8, await check.Scores.CountAsync(s => s.RunId == run.Id));
    }

    [CatalogueFact]
    public async Task Holding_out_every_image_fails_the_run_with_the_reason()
    {
        var project = await ProjectWithImagesAsync(2);
        await using (var db = await catalogue.Factory.CreateDbContextAsync())
        {
            await db.Images.ExecuteUpdateAsync(u => u.SetProperty(i => i.Label, ImageLabel.Normal));
        }
        var run = await launcher.StartAsync(project, Quick(1) with { HoldOutLabelled = true }, "tester");

        await Job().RunAsync(run.Id, null, CancellationToken.None);

        var failed = await ReadAsync(run.Id);
        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.Contains("no images to train on while its 2 labelled image(s) are held out", failed.Error);
    }

    [CatalogueFact]
    public async Task The_training_eta_is_dropped_once_training_is_over()
    {
        var project = await ProjectWithImagesAsync(1);
        var run = await launcher.StartAsync(project, Quick(1), "tester");
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var recorder = new RunProgressRecorder(catalogue.Factory, run.Id, "box:1", () => { }, clock);

        recorder.Report(new Engine.Models.StageProgress(Engine.Models.Stages.Training, 0.5, "epoch 1/2",
            new Engine.Training.TrainingProgress("training", 0, 2, 1, 2, 0.3, 0.2, 0.1, 0.05, TimeSpan.FromSeconds(42))));
        Assert.Equal(42, (await ReadAsync(run.Id)).Progress.EtaSeconds);
        recorder.Report(new Engine.Models.StageProgress(Engine.Models.Stages.Scoring, 0.1, "1/1 images scored"));
        Assert.Null((await ReadAsync(run.Id)).Progress.EtaSeconds);
    }

    [CatalogueFact]
    public async Task Starting_a_run_checks_the_project_and_the_settings()
    {
        var empty = await catalogue.AddProjectAsync("empty");
        var project = await ProjectWithImagesAsync(2);

        var noImages = await Assert.ThrowsAsync<InvalidOperationException>(() => launcher.StartAsync(empty.Id, RunSettings.Default, "t"));
        Assert.Contains("no images", noImages.Message);
        var badSetting = await Assert.ThrowsAsync<ArgumentException>(() => launcher.StartAsync(project,
            new RunSettings("funad", "fast", 0, new Dictionary<string, string> { ["tauN"] = "2" }), "t"));
        Assert.Contains("tauN", badSetting.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => launcher.StartAsync(project, new RunSettings("magic", "fast", 0), "t"));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => launcher.StartAsync(999, RunSettings.Default, "t"));
        Assert.Empty(jobs.Created);
    }

    private async Task WaitForAsync(int runId, Func<TrainingRun, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            var run = await ReadAsync(runId);
            if (condition(run)) return;
            if (run.Status.IsFinished()) throw new Xunit.Sdk.XunitException($"run finished ({run.Status}: {run.Error}) before the condition held");
            await Task.Delay(50);
        }
        throw new TimeoutException("the run never reached the expected state");
    }

    public void Dispose()
    {
        catalogue.Dispose();
        images.Dispose();
    }
}
