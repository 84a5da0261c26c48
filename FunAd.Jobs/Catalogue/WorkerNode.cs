namespace FunAd.Jobs.Catalogue;

/// <summary>
/// A process that takes training jobs (the web app's own job server or a <c>funad worker</c>), as it
/// last reported itself: its device, the queues it listens to, and when it was last alive.
/// </summary>
public sealed class WorkerNode
{
    /// <summary>"machine:pid", the same name a run records in <see cref="TrainingRun.Worker"/>.</summary>
    public required string Name { get; set; }
    public required string Machine { get; set; }
    public int ProcessId { get; set; }
    /// <summary>"web" (the app's embedded job server) or "worker" (<c>funad worker</c>).</summary>
    public required string Role { get; set; }
    /// <summary>"cpu" or "cuda".</summary>
    public required string DeviceKind { get; set; }
    /// <summary>For example "CUDA: NVIDIA H200 (139 GiB)" or "CPU (16 cores; no CUDA device found)".</summary>
    public required string Device { get; set; }
    /// <summary>The machine's memory, in bytes (the GPU's is in <see cref="Device"/>).</summary>
    public long MemoryBytes { get; set; }
    /// <summary>Hangfire queues it takes jobs from, comma-separated, in order.</summary>
    public required string Queues { get; set; }
    public int JobSlots { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset SeenAt { get; set; }
    /// <summary>Set when it stopped cleanly; a worker that was killed just stops being seen.</summary>
    public DateTimeOffset? StoppedAt { get; set; }
}
