using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Hosting;
using FunAd.Jobs.Workers;
using Hangfire;

namespace FunAd.Web.Hosting;

/// <summary>Which kind of process hosts a <see cref="TrainingServer"/>.</summary>
public enum ServerRole
{
    /// <summary>The web app's embedded job server: on unless FunAd:RunJobs is false; takes every queue by default.</summary>
    Web,
    /// <summary><c>funad worker</c>: always on; takes gpu and cpu with a GPU, cpu without.</summary>
    Worker,
}

/// <summary>
/// The Hangfire server that trains, started when the host starts (settings are read then, so a test
/// host's or a command line's overrides apply), with one job slot per device by default. While it
/// runs it reports this process in the worker registry every few seconds; a clean stop says so.
/// </summary>
public sealed class TrainingServer(ServerRole role, IServiceProvider services, ILogger<TrainingServer> logger) : IHostedService, IAsyncDisposable
{
    private BackgroundJobServer? server;
    private CancellationTokenSource? reporting;
    private Task? reporter;
    private WorkerNode? node;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var options = services.GetRequiredService<CatalogueOptions>();
        if (role == ServerRole.Web && !options.RunJobs)
        {
            logger.LogInformation("This process takes no training jobs (FunAd:RunJobs is false); funad worker processes do");
            return;
        }
        var status = services.GetRequiredService<EngineStatus>();
        status.Start();
        if (role == ServerRole.Worker)
        {
            // A worker exists to train: it knows its device before it takes a job, so it can choose its queues.
            await status.WhenResolvedAsync().WaitAsync(cancellationToken);
            if (status.Device is null) throw new InvalidOperationException($"The compute engine is unavailable: {status.Error}");
        }
        var queues = JobQueues.Parse(options.Queues)
            ?? (role == ServerRole.Web ? JobQueues.All : JobQueues.ForDevice(status.Device!.IsCuda));
        var slots = Math.Max(1, options.TrainingWorkers);
        var name = WorkerRegistry.ThisProcess;
        server = new BackgroundJobServer(new BackgroundJobServerOptions
        {
            ServerName = $"{name}:training",
            Queues = queues,
            WorkerCount = slots,
            ShutdownTimeout = TimeSpan.FromSeconds(10),
            Activator = services.GetRequiredService<JobActivator>(),
            FilterProvider = services.GetService<Hangfire.Common.IJobFilterProvider>() ?? Hangfire.Common.JobFilterProviders.Providers,
        }, services.GetRequiredService<JobStorage>());
        logger.LogInformation("Taking training jobs from the queues {Queues} ({Slots} at a time) as {Name}", string.Join(", ", queues), slots, name);

        var now = DateTimeOffset.UtcNow;
        node = new WorkerNode
        {
            Name = name, Machine = Environment.MachineName, ProcessId = Environment.ProcessId,
            Role = role == ServerRole.Web ? "web" : "worker", DeviceKind = "cpu", Device = "resolving", Queues = string.Join(",", queues),
            JobSlots = slots, MemoryBytes = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes, StartedAt = now, SeenAt = now,
        };
        reporting = new CancellationTokenSource();
        var every = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<RecoveryTimings>>().Value.WorkerReport;
        reporter = Task.Run(() => ReportLoopAsync(status, every, reporting.Token), CancellationToken.None);
    }

    private async Task ReportLoopAsync(EngineStatus status, TimeSpan every, CancellationToken token)
    {
        var registry = services.GetRequiredService<WorkerRegistry>();
        while (!token.IsCancellationRequested)
        {
            try
            {
                node!.SeenAt = DateTimeOffset.UtcNow;
                node.Device = status.Ready ? status.DeviceDescription : status.IsResolved ? $"unavailable: {status.Error}" : "resolving";
                node.DeviceKind = status.Device?.IsCuda == true ? "cuda" : "cpu";
                await registry.ReportAsync(node, token);
            }
            catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
            {
                // A missed report only makes the workers page show this process as silent for a moment.
                logger.LogWarning("Worker report not written ({Reason})", e.GetBaseException().Message);
            }
            try
            {
                await Task.Delay(every, token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (server is null) return;
        server.SendStop();
        // Running jobs see their cancellation token and put their runs back in the queue.
        try
        {
            await server.WaitForShutdownAsync(cancellationToken);
        }
        catch (ObjectDisposedException)
        {
            // Disposed while stopping (a test factory's dispose racing its stop): Dispose itself waits for the
            // server's shutdown, so there is nothing left to wait for. Seen once in a fresh-clone CI run.
        }
        if (reporting is not null)
        {
            try
            {
                await reporting.CancelAsync();
            }
            catch (ObjectDisposedException)
            {
                // Stopped a second time after being disposed (a test factory's dispose after a stop).
            }
            await (reporter ?? Task.CompletedTask);
        }
        try
        {
            await services.GetRequiredService<WorkerRegistry>().MarkStoppedAsync(node!.Name, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("Could not record that this worker stopped ({Reason})", e.GetBaseException().Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        server?.Dispose();
        reporting?.Dispose();
        await ValueTask.CompletedTask;
    }
}
