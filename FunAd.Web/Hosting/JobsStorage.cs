using FunAd.Jobs.Hosting;
using FunAd.Jobs.Storage;
using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Logging;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.Storage.SQLite;

namespace FunAd.Web.Hosting;

/// <summary>
/// Where Hangfire keeps its queue (the data root's jobs.db beside a SQLite catalogue, or the
/// catalogue's PostgreSQL database), and what Hangfire would otherwise share between hosts of one process.
/// </summary>
public static class JobsStorage
{
    /// <summary>Hangfire's own schema in the catalogue's database, apart from EF Core's tables.</summary>
    public const string PostgresSchema = "hangfire";

    // Queued runs start within a second instead of the default quarter minute.
    private static readonly TimeSpan QueuePollInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Registers this host's job storage and job activator. Before AddHangfire, which otherwise registers
    /// the process-wide JobStorage.Current and JobActivator.Current: hosts sharing a process (the tests'
    /// app factories) would race for them, queueing a run in another host's database or running its job
    /// in another host's (maybe disposed) services.
    /// </summary>
    public static IServiceCollection AddFunAdJobStorage(this IServiceCollection services) => services
        .AddSingleton(Create)
        .AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));

    /// <summary>
    /// Hangfire logs through one process-wide provider that every host's AddHangfire replaces with its
    /// own. Once that host stops, its logger factory is disposed and each Hangfire logger made after
    /// that throws, in other hosts too: Hangfire.PostgreSql makes one per fetched job, so a job was
    /// taken from the queue and then lost (invisible for half an hour). This provider logs through the
    /// host as usual and falls silent instead of throwing once the host is gone.
    /// </summary>
    public static IGlobalConfiguration UseFunAdLogProvider(this IGlobalConfiguration configuration, IServiceProvider services) =>
        configuration.UseLogProvider(new HostLogProvider(new AspNetCoreLogProvider(services.GetRequiredService<ILoggerFactory>())));

    private sealed class HostLogProvider(ILogProvider host) : ILogProvider
    {
        public ILog GetLogger(string name)
        {
            try
            {
                return new HostLog(host.GetLogger(name));
            }
            catch (ObjectDisposedException)
            {
                return new HostLog(null);
            }
        }
    }

    private sealed class HostLog(ILog? host) : ILog
    {
        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            try
            {
                return host?.Log(logLevel, messageFunc, exception) ?? false;
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }
    }

    private static JobStorage Create(IServiceProvider services)
    {
        var database = services.GetRequiredService<CatalogueDatabase>();
        if (database.IsPostgres)
        {
            // The invisibility timeout stays at its default (30 min): a job whose worker died is not
            // waited for, the run recovery loop queues its run again once the heartbeat stops.
            var options = new PostgreSqlStorageOptions { SchemaName = PostgresSchema, PrepareSchemaIfNecessary = true, QueuePollInterval = QueuePollInterval };
            return new PostgreSqlStorage(new NpgsqlConnectionFactory(database.ConnectionString, options), options);
        }
        return new SQLiteStorage(
            Path.Combine(services.GetRequiredService<ArtifactStore>().Root, services.GetRequiredService<CatalogueOptions>().JobsFile),
            new SQLiteStorageOptions { QueuePollInterval = QueuePollInterval });
    }
}
