namespace FunAd.Jobs.Catalogue;

/// <summary>Where a training run is in its life.</summary>
public enum RunStatus
{
    Queued = 0,
    Running = 1,
    Succeeded = 2,
    Failed = 3,
    Cancelled = 4,
}

public static class RunStatusExtensions
{
    public static bool IsFinished(this RunStatus status) => status is RunStatus.Succeeded or RunStatus.Failed or RunStatus.Cancelled;
}
