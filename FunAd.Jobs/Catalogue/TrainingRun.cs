using FunAd.Jobs.Scoring;
using FunAd.Jobs.Training;

namespace FunAd.Jobs.Catalogue;

/// <summary>
/// A training job of a project: its settings, where it is (<see cref="RunProgress"/>), what it produced
/// (<see cref="RunOutcome"/>) and the reviewer's thresholds (<see cref="RunThresholds"/>); the three
/// parts are EF Core complex types stored in the run's own row. Its status changes only through the
/// transitions at the end of this class (queue, start, complete, fail, cancel, requeue), each with the
/// rule it enforces; <c>RunTransitionTests</c> pins the allowed ones.
/// </summary>
public sealed class TrainingRun
{
    public int Id { get; set; }
    public int ProjectId { get; set; }
    public Project? Project { get; set; }
    /// <summary>One of <see cref="FunAd.Engine.Models.AnomalyMethod"/>.</summary>
    public required string Method { get; set; }
    /// <summary>"fast", "paper" or "custom".</summary>
    public required string Profile { get; set; }
    /// <summary>The full FUN-AD settings (JSON of FunAdOptions) or the baseline's, as the run uses them.</summary>
    public required string ParametersJson { get; set; }
    public int Seed { get; set; }
    /// <summary>Changed only by the transitions below (internal: tests seed runs in any state).</summary>
    public RunStatus Status { get; internal set; }
    /// <summary>Where the run is now (stage, share done, epoch, loss, ETA).</summary>
    /// <remarks>The parts are set once (init) and change member by member, which is what EF tracks.</remarks>
    public RunProgress Progress { get; init; } = new();
    public int ImageCount { get; set; }
    public string? HangfireJobId { get; set; }
    /// <summary>The process working on the run, and when it last said so: a run whose heartbeat stopped was interrupted.</summary>
    public string? Worker { get; set; }
    public DateTimeOffset? HeartbeatAt { get; set; }
    /// <summary>Set by Cancel; the job polls it, so a run on another worker stops too.</summary>
    public bool CancelRequested { get; set; }
    public string? Error { get; set; }
    /// <summary>Leave images a reviewer confirmed as defects out of training.</summary>
    public bool ExcludeConfirmedDefects { get; set; }
    /// <summary>
    /// Labelled images (uploaded labels) were left out of training, so the metrics over them are
    /// out-of-sample; otherwise the run trained on everything and its metrics are in-sample.
    /// </summary>
    public bool HoldOutLabelled { get; set; }
    /// <summary>What training and scoring produced (model files, suggested threshold, heatmap scale, pixel metrics).</summary>
    public RunOutcome Outcome { get; init; } = new();
    /// <summary>The OK/review/NG thresholds; they start at the label-free suggestion (<see cref="RecordResults"/>) until a reviewer sets them.</summary>
    public RunThresholds Thresholds { get; init; } = new();
    public string? CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }

    public List<RunEpoch> EpochHistory { get; set; } = [];
    public List<RunLogEntry> Log { get; set; } = [];

    public const string WaitingForWorker = "waiting for a worker";

    /// <summary>A worker takes the run: from queued, or from running when a new job takes over a run whose worker went silent.</summary>
    public void Start(string worker, DateTimeOffset now)
    {
        Require(nameof(Start), RunStatus.Queued, RunStatus.Running);
        if (CancelRequested) throw new RunTransitionException(Id, Status, nameof(Start), "a cancel was requested; cancel it instead");
        Status = RunStatus.Running;
        StartedAt ??= now;
        HeartbeatAt = now;
        Worker = worker;
        Error = null;
    }

    /// <summary>Training, export and scoring finished: the run is done and its results are recorded (see <see cref="RecordResults"/>).</summary>
    public void Complete(string detail, DateTimeOffset now)
    {
        Require(nameof(Complete), RunStatus.Running);
        Progress.Phase = RunPhase.Done;
        Progress.Fraction = 1;
        Progress.EtaSeconds = 0;
        Finish(RunStatus.Succeeded, detail, now);
    }

    /// <summary>The run stopped on an error; <paramref name="reason"/> is what the page and the API show.</summary>
    public void Fail(string reason, DateTimeOffset now)
    {
        Require(nameof(Fail), RunStatus.Queued, RunStatus.Running);
        Error = reason;
        Finish(RunStatus.Failed, reason, now);
    }

    /// <summary>Asks a queued or running run to stop; false when it had already finished.</summary>
    public bool RequestCancel()
    {
        if (Status.IsFinished()) return false;
        CancelRequested = true;
        return true;
    }

    /// <summary>The run stopped because a user (or an API key) cancelled it, before or while it ran.</summary>
    public void Cancel(string detail, DateTimeOffset now)
    {
        Require(nameof(Cancel), RunStatus.Queued, RunStatus.Running);
        Finish(RunStatus.Cancelled, detail, now);
    }

    /// <summary>
    /// Back in the queue for a new job: its worker stopped or died (it resumes from the last
    /// checkpoint), or the job queue never got it. A cancelled run is never queued again.
    /// </summary>
    public void Requeue(string detail)
    {
        Require(nameof(Requeue), RunStatus.Queued, RunStatus.Running);
        if (CancelRequested) throw new RunTransitionException(Id, Status, nameof(Requeue), "a cancel was requested; cancel it instead");
        Status = RunStatus.Queued;
        Progress.Phase = RunPhase.Interrupted;
        Progress.Detail = detail;
    }

    /// <summary>Where the run is and what it does now; any state, since the write only reports (it never changes the status).</summary>
    public void RecordProgress(string phase, double progress, string detail, string worker, DateTimeOffset now)
    {
        Progress.Report(phase, progress, detail);
        HeartbeatAt = now;
        Worker = worker;
    }

    /// <summary>
    /// What training and scoring produced: the model's files, the label-free threshold (which also
    /// starts both OK/review/NG thresholds unless a reviewer set them), heatmap scale and pixel metrics.
    /// </summary>
    public void RecordResults(string modelPath, string onnxPath, int used, string? selectionRule, int resumedFromEpoch, int excluded, ScoringSummary scoring)
    {
        ImageCount = used;
        Outcome.Record(modelPath, onnxPath, selectionRule, resumedFromEpoch, excluded, scoring);
        Thresholds.Suggest(scoring.SuggestedThreshold, scoring.SuggestedReview);
    }

    /// <summary>A reviewer's OK/review/NG thresholds: scores from <paramref name="low"/> need a review, from <paramref name="high"/> up are NG.</summary>
    public void SetThresholds(double low, double high)
    {
        RunThresholds.Check(low, high);
        if (Status != RunStatus.Succeeded) throw new InvalidOperationException($"Run {Id} has not finished: thresholds belong to a trained model.");
        Thresholds.Low = low;
        Thresholds.High = high;
    }

    private void Finish(RunStatus status, string detail, DateTimeOffset now)
    {
        Status = status;
        Progress.Detail = detail;
        FinishedAt = now;
        HeartbeatAt = now;
    }

    private void Require(string transition, params RunStatus[] from)
    {
        if (!from.Contains(Status))
            throw new RunTransitionException(Id, Status, transition, $"only a {string.Join(" or ", from.Select(s => s.ToString().ToLowerInvariant()))} run can");
    }
}
