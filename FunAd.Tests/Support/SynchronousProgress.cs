namespace FunAd.Tests.Support;

/// <summary>Reports on the calling thread (System.Progress posts to the thread pool, which races with assertions).</summary>
public sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
