using FunAd.Jobs.Hosting;
using FunAd.Jobs.Storage;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.Storage.SQLite;

namespace FunAd.Web.Hosting;

/// <summary>Where Hangfire keeps its queue: the data root's jobs.db beside a SQLite catalogue, or the catalogue's PostgreSQL database.</summary>
public static class JobsStorage
{
    /// <summary>Hangfire's own schema in the catalogue's database, apart from EF Core's tables.</summary>
    public const string PostgresSchema = "hangfire";

    // Queued runs start within a second instead of the default quarter minute.
    private static readonly TimeSpan QueuePollInterval = TimeSpan.FromSeconds(1);

    public static IGlobalConfiguration UseFunAdStorage(this IGlobalConfiguration configuration, IServiceProvider services)
    {
        var database = services.GetRequiredService<CatalogueDatabase>();
        if (database.IsPostgres)
            // The invisibility timeout stays at its default (30 min): a job whose worker died is not
            // waited for, the run recovery loop queues its run again once the heartbeat stops.
            return configuration.UsePostgreSqlStorage(o => o.UseNpgsqlConnection(database.ConnectionString), new PostgreSqlStorageOptions
            {
                SchemaName = PostgresSchema,
                PrepareSchemaIfNecessary = true,
                QueuePollInterval = QueuePollInterval,
            });
        return configuration.UseSQLiteStorage(
            Path.Combine(services.GetRequiredService<ArtifactStore>().Root, services.GetRequiredService<CatalogueOptions>().JobsFile),
            new SQLiteStorageOptions { QueuePollInterval = QueuePollInterval });
    }
}
