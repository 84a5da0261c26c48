using FunAd.Jobs.Hosting;
using FunAd.Jobs.Storage;
using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.Storage.SQLite;

namespace FunAd.Web.Hosting;

/// <summary>Where Hangfire keeps its queue: the data root's jobs.db beside a SQLite catalogue, or the catalogue's PostgreSQL database.</summary>
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
