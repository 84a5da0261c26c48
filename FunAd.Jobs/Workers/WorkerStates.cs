namespace FunAd.Jobs.Workers;

/// <summary>What a worker's <see cref="WorkerView.State"/> says (also in the API's replies).</summary>
public static class WorkerStates
{
    /// <summary>Reported within <see cref="Hosting.RecoveryTimings.SilentAfter"/>.</summary>
    public const string Alive = "alive";
    /// <summary>Not heard from since: killed, or its machine is gone.</summary>
    public const string Silent = "silent";
    /// <summary>Shut down cleanly.</summary>
    public const string Stopped = "stopped";
}
