using FunAd.Jobs.Training;
using FunAd.Jobs.Workers;

namespace FunAd.Jobs.Hosting;

/// <summary>
/// Heartbeats and the recovery loop, in seconds. The defaults suit long runs on a network; a test
/// or a small cluster that wants quick failover shortens them (StaleAfter must exceed Heartbeat).
/// </summary>
public sealed class RecoveryTimings
{
    /// <summary>How often a running job writes its heartbeat.</summary>
    public double HeartbeatSeconds { get; set; } = 30;

    /// <summary>A running run whose heartbeat is older than this is taken to be dead and queued again.</summary>
    public double StaleAfterSeconds { get; set; } = 120;

    /// <summary>How often the recovery loop looks for such runs.</summary>
    public double EverySeconds { get; set; } = 30;

    /// <summary>How often a process reports itself in the workers registry.</summary>
    public double WorkerReportSeconds { get; set; } = 15;

    public void Validate()
    {
        if (HeartbeatSeconds <= 0 || EverySeconds <= 0 || WorkerReportSeconds <= 0)
            throw new InvalidOperationException("FunAd:Recovery: HeartbeatSeconds, EverySeconds and WorkerReportSeconds must be positive.");
        if (StaleAfterSeconds <= HeartbeatSeconds)
            throw new InvalidOperationException("FunAd:Recovery:StaleAfterSeconds must be longer than HeartbeatSeconds, or live runs would be taken for dead ones.");
    }

    /// <summary>Puts these timings into effect for the process (the job, the recovery and the registry read them).</summary>
    public void Apply()
    {
        Validate();
        TrainingJob.HeartbeatInterval = TimeSpan.FromSeconds(HeartbeatSeconds);
        RunRecovery.StaleAfter = TimeSpan.FromSeconds(StaleAfterSeconds);
        WorkerRegistry.SilentAfter = TimeSpan.FromSeconds(Math.Max(StaleAfterSeconds / 2, 4 * WorkerReportSeconds));
    }
}
