namespace FunAd.Jobs.Hosting;

/// <summary>
/// Heartbeats and the recovery loop ("FunAd:Recovery", in seconds), injected per host as
/// <c>IOptions&lt;RecoveryTimings&gt;</c>: the job, the recovery loop, the worker registry and the pages
/// all read the same limits. The defaults suit long runs on a network; a test or a small cluster that
/// wants quick failover shortens them (StaleAfter must exceed Heartbeat).
/// </summary>
public sealed class RecoveryTimings
{
    public const string Section = "FunAd:Recovery";

    /// <summary>How often a running job writes its heartbeat.</summary>
    public double HeartbeatSeconds { get; set; } = 30;

    /// <summary>A running run whose heartbeat is older than this is taken to be dead and queued again.</summary>
    public double StaleAfterSeconds { get; set; } = 120;

    /// <summary>How often the recovery loop looks for such runs.</summary>
    public double EverySeconds { get; set; } = 30;

    /// <summary>How often a process reports itself in the workers registry.</summary>
    public double WorkerReportSeconds { get; set; } = 15;

    /// <summary>How long a failed run keeps trying to record its failure (a full disk refuses that write too).</summary>
    public double FailureRetrySeconds { get; set; } = 600;

    /// <summary>The pause between those tries.</summary>
    public double FailureRetryDelaySeconds { get; set; } = 5;

    public TimeSpan Heartbeat => TimeSpan.FromSeconds(HeartbeatSeconds);
    public TimeSpan StaleAfter => TimeSpan.FromSeconds(StaleAfterSeconds);
    public TimeSpan Every => TimeSpan.FromSeconds(EverySeconds);
    public TimeSpan WorkerReport => TimeSpan.FromSeconds(WorkerReportSeconds);
    public TimeSpan FailureRetry => TimeSpan.FromSeconds(FailureRetrySeconds);
    public TimeSpan FailureRetryDelay => TimeSpan.FromSeconds(FailureRetryDelaySeconds);

    /// <summary>A worker not heard from for this long is shown as silent and no longer counts as available.</summary>
    public TimeSpan SilentAfter => TimeSpan.FromSeconds(Math.Max(StaleAfterSeconds / 2, 4 * WorkerReportSeconds));

    public void Validate()
    {
        if (HeartbeatSeconds <= 0 || EverySeconds <= 0 || WorkerReportSeconds <= 0 || FailureRetryDelaySeconds <= 0 || FailureRetrySeconds < 0)
            throw new InvalidOperationException("FunAd:Recovery: HeartbeatSeconds, EverySeconds, WorkerReportSeconds and FailureRetryDelaySeconds must be positive.");
        if (StaleAfterSeconds <= HeartbeatSeconds)
            throw new InvalidOperationException("FunAd:Recovery:StaleAfterSeconds must be longer than HeartbeatSeconds, or live runs would be taken for dead ones.");
    }
}
