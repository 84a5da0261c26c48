using FunAd.Web.Components.Shared;
using Microsoft.Extensions.Time.Testing;

namespace FunAd.Tests.Web.Components;

/// <summary>The polling loop the live pages share: ticks through the dispatcher, never after disposal, and survives a failed tick.</summary>
public sealed class PollerTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider time = new();
    private readonly SemaphoreSlim ticked = new(0);
    private int dispatched;

    // Stands in for a component's InvokeAsync: counts what goes through it.
    private Task Dispatch(Func<Task> work)
    {
        Interlocked.Increment(ref dispatched);
        return work();
    }

    private async Task TickAsync()
    {
        time.Advance(Interval);
        Assert.True(await ticked.WaitAsync(Wait), "the callback did not run");
    }

    [Fact]
    public async Task Each_interval_calls_back_once_through_the_dispatcher()
    {
        var calls = 0;
        await using var poller = new Poller(Interval, Dispatch, () => { calls++; ticked.Release(); return Task.CompletedTask; }, time);

        time.Advance(Interval - TimeSpan.FromMilliseconds(1));
        Assert.False(await ticked.WaitAsync(TimeSpan.FromMilliseconds(200)));
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(await ticked.WaitAsync(Wait));
        await TickAsync();

        Assert.Equal(2, calls);
        Assert.Equal(2, dispatched);
    }

    [Fact]
    public async Task After_disposal_nothing_is_called()
    {
        var calls = 0;
        var poller = new Poller(Interval, Dispatch, () => { calls++; ticked.Release(); return Task.CompletedTask; }, time);
        await TickAsync();

        await poller.DisposeAsync();
        time.Advance(Interval * 3);
        await Task.Delay(200);

        Assert.Equal(1, calls);
        await poller.DisposeAsync();
    }

    [Fact]
    public async Task A_failed_tick_does_not_stop_the_polling()
    {
        var calls = 0;
        await using var poller = new Poller(Interval, Dispatch, () =>
        {
            calls++;
            ticked.Release();
            return calls == 1 ? Task.FromException(new InvalidOperationException("database hiccup")) : Task.CompletedTask;
        }, time);

        await TickAsync();
        await TickAsync();

        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task A_dispatcher_gone_with_its_circuit_ends_the_polling_quietly()
    {
        var tries = 0;
        var poller = new Poller(Interval, _ => { tries++; ticked.Release(); throw new ObjectDisposedException("renderer"); }, () => Task.CompletedTask, time);

        await TickAsync();
        time.Advance(Interval * 3);
        await Task.Delay(200);

        Assert.Equal(1, tries);
        await poller.DisposeAsync();
    }

    [Fact]
    public async Task Disposal_waits_for_a_callback_in_progress()
    {
        var release = new TaskCompletionSource();
        var finished = false;
        var poller = new Poller(Interval, Dispatch, async () => { ticked.Release(); await release.Task; finished = true; }, time);
        await TickAsync();

        var disposing = poller.DisposeAsync().AsTask();
        await Task.Delay(100);
        Assert.False(disposing.IsCompleted);
        release.SetResult();
        await disposing.WaitAsync(Wait);

        Assert.True(finished);
    }
}
