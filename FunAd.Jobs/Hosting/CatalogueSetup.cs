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

/// <summary>Registers the catalogue (EF Core on SQLite under the data root), the artifact store, the upload importer and the integrity check.</summary>
public static class CatalogueSetup
{
    public static CatalogueOptions ReadOptions(IConfiguration configuration)
    {
        var options = new CatalogueOptions();
        configuration.GetSection(CatalogueOptions.Section).Bind(options);
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
            if (!string.Equals(options.Storage, "Sqlite", StringComparison.OrdinalIgnoreCase))
                throw new NotSupportedException($"Storage '{options.Storage}' is not supported yet: use Sqlite.");
            options.Uploads.Validate();
            var configuration = sp.GetRequiredService<IConfiguration>();
            if (configuration.GetSection($"{CatalogueOptions.Section}:Recovery").Exists()) options.Recovery.Apply();
            else options.Recovery.Validate();
            return options;
        });
        services.AddSingleton(sp => new ArtifactStore(sp.GetRequiredService<CatalogueOptions>().DataRoot));
        services.AddDbContextFactory<CatalogueDbContext>((sp, o) => UseCatalogue(sp, o));
        services.AddDbContext<CatalogueDbContext>((sp, o) => UseCatalogue(sp, o), optionsLifetime: ServiceLifetime.Singleton);
        services.AddSingleton(sp => sp.GetRequiredService<CatalogueOptions>().Uploads);
        services.TryAddSingleton(DecodeLimits.Default);
        services.AddSingleton<UploadImporter>();
        services.AddSingleton<IntegrityCheck>();
        return services;
    }

    private static void UseCatalogue(IServiceProvider services, DbContextOptionsBuilder builder)
    {
        var store = services.GetRequiredService<ArtifactStore>();
        builder.UseSqlite(services.GetRequiredService<CatalogueOptions>().CatalogueConnectionString(store.Root));
    }

    /// <summary>
    /// Brings the schema up to date (migrations, never EnsureCreated) and switches SQLite to WAL, so a
    /// killed process never leaves a half-written transaction and readers do not block the writer.
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
