namespace FunAd.Engine.Models;

/// <summary>Reports on the calling thread, in order (System.Progress posts to the thread pool and may reorder).</summary>
public sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
