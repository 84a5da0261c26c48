namespace FunAd.Web.Components.Shared;

/// <summary>
/// Calls a component back at a fixed interval, on the component's dispatcher, until disposed: how live pages
/// follow state that changes in the background (run progress, worker heartbeats). Ticks never overlap: a slow
/// callback delays the next tick rather than queueing more behind it.
/// </summary>
/// <remarks>
/// Create it with the component's <c>InvokeAsync</c>, so the callback may touch the component's state and call
/// <c>StateHasChanged</c>; dispose it from the component's <c>DisposeAsync</c>.
/// </remarks>
public sealed class Poller : IAsyncDisposable
{
    private readonly PeriodicTimer timer;
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    public Poller(TimeSpan interval, Func<Func<Task>, Task> invokeAsync, Func<Task> callback, TimeProvider? time = null)
    {
        timer = new PeriodicTimer(interval, time ?? TimeProvider.System);
        loop = RunAsync(invokeAsync, callback);
    }

    private async Task RunAsync(Func<Func<Task>, Task> invokeAsync, Func<Task> callback)
    {
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false))
            {
                try
                {
                    await invokeAsync(callback).ConfigureAwait(false);
                }
                catch (ObjectDisposedException)
                {
                    // The circuit (and its renderer) went away before the component was disposed: nothing left to update.
                    return;
                }
                catch (Exception) when (!stop.IsCancellationRequested)
                {
                    // One failed refresh (a database hiccup) should not freeze the page; the next tick tries again.
                }
                catch (Exception)
                {
                    // Failed while shutting down: nobody is left to tell.
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed while waiting for the next tick.
        }
    }

    /// <summary>Stops polling; returns once a callback in progress has finished, so none runs after this.</summary>
    public async ValueTask DisposeAsync()
    {
        if (stop.IsCancellationRequested) return;
        await stop.CancelAsync();
        timer.Dispose();
        await loop.ConfigureAwait(false);
        stop.Dispose();
    }
}
