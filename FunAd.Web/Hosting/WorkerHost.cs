using FunAd.Jobs.Hosting;
using FunAd.Jobs.Storage;
using FunAd.Jobs.Training;

namespace FunAd.Web.Hosting;

/// <summary>
/// <c>funad worker</c>: the same settings, catalogue and job storage as the web app, a Hangfire server
/// that trains, and no web UI. It reports itself in the worker registry (the app's Workers page) and
/// runs the recovery loop, so a run whose worker died is handed on even when the web app is down.
/// </summary>
public static class WorkerHost
{
    public static IHost Build(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
            ApplicationName = typeof(WorkerHost).Assembly.GetName().Name,
        });
        DataRootProbe.EnsureWritable(CatalogueSetup.ReadOptions(builder.Configuration).DataRoot);
        builder.Services.AddSingleton(sp => EngineStatus.FromConfiguration(
            sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<ILogger<EngineStatus>>()));
        builder.Services.AddFunAdCatalogue();
        builder.Services.AddFunAdJobServices();
        builder.Services.AddHostedService<WorkerStartup>();
        builder.Services.AddHostedService(sp => new TrainingServer(ServerRole.Worker, sp, sp.GetRequiredService<ILogger<TrainingServer>>()));
        return builder.Build();
    }

    public static async Task<int> RunAsync(string[] args)
    {
        IHost host;
        try
        {
            host = Build(args);
        }
        catch (InvalidOperationException e)
        {
            await Console.Error.WriteLineAsync($"funad worker: {e.Message}");
            return 1;
        }
        try
        {
            await host.RunAsync();
        }
        catch (InvalidOperationException e)
        {
            // A worker that cannot reach its database or device says so in one line and exits non-zero.
            await Console.Error.WriteLineAsync($"funad worker: {e.Message}");
            return 1;
        }
        finally
        {
            host.Dispose();
        }
        return 0;
    }

    /// <summary>Before taking jobs: the schema is current (migrations are safe to race: EF takes a lock) and runs a dead process of this machine left are handed on.</summary>
    private sealed class WorkerStartup(IServiceProvider services, ILogger<WorkerStartup> logger) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await CatalogueSetup.MigrateAsync(services, cancellationToken);
            var recovered = await services.GetRequiredService<RunRecovery>().RecoverAsync(sameProcessOnly: false, cancellationToken);
            if (recovered > 0) logger.LogWarning("{Count} interrupted run(s) queued again", recovered);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
