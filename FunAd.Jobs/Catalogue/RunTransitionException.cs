namespace FunAd.Jobs.Catalogue;

/// <summary>A status change that <see cref="TrainingRun"/>'s rules do not allow (finishing a finished run, starting a cancelled one).</summary>
public sealed class RunTransitionException(int runId, RunStatus from, string transition, string rule)
    : InvalidOperationException($"Run {runId} is {from.ToString().ToLowerInvariant()}: cannot {transition.ToLowerInvariant()} it ({rule}).")
{
    public RunStatus From { get; } = from;
    public string Transition { get; } = transition;
}
