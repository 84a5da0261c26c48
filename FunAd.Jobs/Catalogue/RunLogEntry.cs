namespace FunAd.Jobs.Catalogue;

/// <summary>A line of a run's log, as shown on its page.</summary>
public sealed class RunLogEntry
{
    public long Id { get; set; }
    public int RunId { get; set; }
    public DateTimeOffset At { get; set; } = DateTimeOffset.UtcNow;
    public required string Message { get; set; }
}
