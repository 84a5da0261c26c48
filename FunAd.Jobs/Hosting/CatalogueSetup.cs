using FunAd.Engine.Imaging;
using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Maintenance;
using FunAd.Jobs.Storage;
using FunAd.Jobs.Uploads;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FunAd.Jobs.Hosting;

/// <summary>Registers the catalogue (EF Core on SQLite under the data root, or on PostgreSQL), the artifact store, the upload importer and the integrity check.</summary>
public static class CatalogueSetup
{
    /// <summary>The "FunAd" section, plus the catalogue's connection string (ConnectionStrings:Catalogue).</summary>
    public static CatalogueOptions ReadOptions(IConfiguration configuration)
    {
        var options = new CatalogueOptions();
        configuration.GetSection(CatalogueOptions.Section).Bind(options);
        options.ConnectionString = configuration.GetConnectionString(CatalogueDatabase.ConnectionStringName);
        return options;
    }

    /// <summary>
    /// Registers the catalogue. Settings are read when first needed, from the host's configuration, so
    /// a test host's or a command line's overrides apply.
    /// </summary>
    public static IServiceCollection AddFunAdCatalogue(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var options = ReadOptions(sp.GetRequiredService<IConfiguration>());
            options.Uploads.Validate();
            return options;
        });
        services.AddOptions<RecoveryTimings>().BindConfiguration(RecoveryTimings.Section)
            .Validate(timings => { timings.Validate(); return true; });
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new ArtifactStore(sp.GetRequiredService<CatalogueOptions>().DataRoot));
        services.AddSingleton(sp => CatalogueDatabase.For(sp.GetRequiredService<CatalogueOptions>(), sp.GetRequiredService<ArtifactStore>().Root));
        // EF Core builds the options (with the host's logging); our factory picks the context type, whose migrations fit the provider.
        services.AddDbContextFactory<CatalogueDbContext, CatalogueContextFactory>((sp, o) => sp.GetRequiredService<CatalogueDatabase>().Configure(o));
        // Identity's stores take a scoped context: the same type, from the same factory.
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<CatalogueDbContext>>().CreateDbContext());
        services.AddSingleton(sp => sp.GetRequiredService<CatalogueOptions>().Uploads);
        services.TryAddSingleton(DecodeLimits.Default);
        services.AddSingleton<UploadImporter>();
        services.AddSingleton<IntegrityCheck>();
        return services;
    }

    /// <summary>
    /// Brings the schema up to date (migrations, never EnsureCreated: each provider has its own) and
    /// switches SQLite to WAL, so a killed process never leaves a half-written transaction and readers do
    /// not block the writer (PostgreSQL works that way by itself).
    /// </summary>
    public static Task MigrateAsync(IServiceProvider services, CancellationToken cancellation = default) =>
        MigrateAsync(services.GetRequiredService<IDbContextFactory<CatalogueDbContext>>(), cancellation);

    /// <inheritdoc cref="MigrateAsync(IServiceProvider, CancellationToken)"/>
    public static async Task MigrateAsync(IDbContextFactory<CatalogueDbContext> factory, CancellationToken cancellation = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellation);
        if (db.Database.IsSqlite())
        {
            await db.Database.OpenConnectionAsync(cancellation);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellation);
        }
        await db.Database.MigrateAsync(cancellation);
    }

    /// <summary>Opens a SQLite connection string's database in WAL mode (for stores other than EF Core).</summary>
    public static void EnableWal(string connectionString)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        command.ExecuteNonQuery();
    }
}
