using System.Collections.Concurrent;

namespace FunAd.Jobs.Training;

/// <summary>
/// Cancellation of the runs this process is working on, so Cancel stops a local run at once; runs on
/// other workers see the catalogue's CancelRequested flag at their next progress write.
/// </summary>
public sealed class RunCancellation
{
    private readonly ConcurrentDictionary<int, CancellationTokenSource> running = new();

    public CancellationTokenSource Register(int runId, CancellationToken linked)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(linked);
        running[runId] = source;
        return source;
    }

    public void Unregister(int runId, CancellationTokenSource source)
    {
        running.TryRemove(new KeyValuePair<int, CancellationTokenSource>(runId, source));
        source.Dispose();
    }

    public bool IsRunningHere(int runId) => running.ContainsKey(runId);

    /// <summary>Cancels the run if this process is working on it; false otherwise.</summary>
    public bool TryCancel(int runId)
    {
        if (!running.TryGetValue(runId, out var source)) return false;
        try { source.Cancel(); } catch (ObjectDisposedException) { return false; }
        return true;
    }
}
