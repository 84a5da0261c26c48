using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Scoring;
using FunAd.Jobs.Training;

namespace FunAd.Tests.Jobs;

/// <summary>
/// Pins a run's life: which status each transition of <see cref="TrainingRun"/> accepts and where it
/// leads. A new state or transition must be added here, where the whole table is in view.
/// </summary>
public sealed class RunTransitionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    private static readonly Dictionary<string, Action<TrainingRun>> Transitions = new()
    {
        ["Start"] = r => r.Start("box:1", Now),
        ["Complete"] = r => r.Complete("trained on 8 images", Now),
        ["Fail"] = r => r.Fail("disk full", Now),
        ["Cancel"] = r => r.Cancel("cancelled by a user", Now),
        ["Requeue"] = r => r.Requeue("the worker stopped"),
    };

    /// <summary>Every allowed (transition, from) pair and the status it leads to; every other pair must throw.</summary>
    private static readonly Dictionary<(string, RunStatus), RunStatus> Allowed = new()
    {
        [("Start", RunStatus.Queued)] = RunStatus.Running,
        [("Start", RunStatus.Running)] = RunStatus.Running,
        [("Complete", RunStatus.Running)] = RunStatus.Succeeded,
        [("Fail", RunStatus.Queued)] = RunStatus.Failed,
        [("Fail", RunStatus.Running)] = RunStatus.Failed,
        [("Cancel", RunStatus.Queued)] = RunStatus.Cancelled,
        [("Cancel", RunStatus.Running)] = RunStatus.Cancelled,
        [("Requeue", RunStatus.Queued)] = RunStatus.Queued,
        [("Requeue", RunStatus.Running)] = RunStatus.Queued,
    };

    private static TrainingRun InState(RunStatus status) => new() { Id = 7, ProjectId = 1, Method = "funad", Profile = "fast", ParametersJson = "{}", Status = status };

    public static TheoryData<string, RunStatus> Every()
    {
        var data = new TheoryData<string, RunStatus>();
        foreach (var transition in Transitions.Keys)
            foreach (var status in Enum.GetValues<RunStatus>())
                data.Add(transition, status);
        return data;
    }

    [Theory]
    [MemberData(nameof(Every))]
    public void Each_transition_leads_where_the_table_says_or_refuses(string transition, RunStatus from)
    {
        var run = InState(from);
        if (Allowed.TryGetValue((transition, from), out var to))
        {
            Transitions[transition](run);
            Assert.Equal(to, run.Status);
            Assert.Equal(to.IsFinished(), run.FinishedAt is not null);
        }
        else
        {
            var error = Assert.Throws<RunTransitionException>(() => Transitions[transition](run));
            Assert.Equal(from, run.Status);
            Assert.Contains($"Run 7 is {from.ToString().ToLowerInvariant()}", error.Message);
        }
    }

    [Fact]
    public void A_new_run_is_queued_and_waits_for_a_worker()
    {
        var run = InState(default);
        Assert.Equal(RunStatus.Queued, run.Status);
        Assert.Equal(RunPhase.Queued, run.Progress.Phase);
        Assert.Equal(TrainingRun.WaitingForWorker, run.Progress.Detail);
    }

    [Fact]
    public void A_run_with_a_cancel_requested_is_neither_started_nor_queued_again()
    {
        var run = InState(RunStatus.Running);
        Assert.True(run.RequestCancel());
        Assert.Throws<RunTransitionException>(() => run.Start("box:1", Now));
        Assert.Throws<RunTransitionException>(() => run.Requeue("the worker stopped"));
        run.Cancel("cancelled by a user", Now);
        Assert.False(run.RequestCancel());
    }

    [Fact]
    public void Starting_clears_an_old_error_and_keeps_the_first_start_time()
    {
        var run = InState(RunStatus.Running);
        run.StartedAt = Now.AddHours(-1);
        run.Error = "old";
        run.Start("box:2", Now);
        Assert.Equal(Now.AddHours(-1), run.StartedAt);
        Assert.Null(run.Error);
        Assert.Equal("box:2", run.Worker);
        Assert.Equal(Now, run.HeartbeatAt);
    }

    [Fact]
    public void Completing_records_the_results_and_starts_both_thresholds_at_the_suggestion_unless_a_reviewer_set_them()
    {
        var scoring = new ScoringSummary(8, 0, 0.42, "p90 of training scores", 0.1, 0.9, 0.95, 0.8, 2);
        var fresh = InState(RunStatus.Running);
        fresh.RecordResults("m", "m.onnx", 8, null, 0, 0, scoring);
        fresh.Complete("trained on 8 images", Now);
        Assert.Equal((0.42, 0.42), (fresh.Thresholds.Low!.Value, fresh.Thresholds.High!.Value));

        // With a review suggestion the two start apart, NG at the suggestion; never review above NG.
        var apart = InState(RunStatus.Running);
        apart.RecordResults("m", "m.onnx", 8, null, 0, 0, scoring with { SuggestedReview = 0.2 });
        Assert.Equal((0.2, 0.42), (apart.Thresholds.Low!.Value, apart.Thresholds.High!.Value));
        var above = InState(RunStatus.Running);
        above.RecordResults("m", "m.onnx", 8, null, 0, 0, scoring with { SuggestedReview = 0.9 });
        Assert.Equal((0.42, 0.42), (above.Thresholds.Low!.Value, above.Thresholds.High!.Value));
        Assert.Equal((RunPhase.Done, 1.0), (fresh.Progress.Phase, fresh.Progress.Fraction));

        var reviewed = InState(RunStatus.Running);
        reviewed.Thresholds.Low = 0.3;
        reviewed.Thresholds.High = 0.6;
        reviewed.RecordResults("m", "m.onnx", 8, null, 0, 0, scoring);
        Assert.Equal((0.3, 0.6), (reviewed.Thresholds.Low!.Value, reviewed.Thresholds.High!.Value));
    }

    [Fact]
    public void Thresholds_belong_to_a_finished_model_and_must_be_ordered_numbers()
    {
        Assert.Throws<InvalidOperationException>(() => InState(RunStatus.Running).SetThresholds(0.2, 0.4));
        var done = InState(RunStatus.Succeeded);
        Assert.Throws<ArgumentException>(() => done.SetThresholds(0.5, 0.4));
        Assert.Throws<ArgumentException>(() => done.SetThresholds(double.NaN, 0.4));
        done.SetThresholds(0.2, 0.4);
        Assert.Equal((0.2, 0.4), (done.Thresholds.Low!.Value, done.Thresholds.High!.Value));
    }
}
