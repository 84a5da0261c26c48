using FunAd.Jobs.Catalogue;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace FunAd.Jobs.Hosting;

/// <summary>Where the catalogue (and Hangfire's queue) live: FunAd:Storage.</summary>
public enum CatalogueProvider
{
    /// <summary>catalogue.db and jobs.db under the data root (the default; nothing to install).</summary>
    Sqlite,

    /// <summary>One PostgreSQL database named by ConnectionStrings:Catalogue (Hangfire in its own schema).</summary>
    Postgres,
}

/// <summary>
/// The catalogue's database: which provider, which connection string, and the one place that turns
/// them into EF Core options and contexts of the right type (<see cref="CatalogueDbContext"/> on
/// SQLite, <see cref="PostgresCatalogueDbContext"/> on PostgreSQL, each with its own migrations).
/// </summary>
public sealed class CatalogueDatabase(CatalogueProvider provider, string connectionString)
{
    public const string ConnectionStringName = "Catalogue";

    public CatalogueProvider Provider { get; } = provider;

    public string ConnectionString { get; } = connectionString;

    public bool IsPostgres => Provider == CatalogueProvider.Postgres;

    /// <summary>The database the settings name, for a host whose data root is <paramref name="dataRoot"/> (SQLite's file lives there).</summary>
    /// <exception cref="InvalidOperationException">An unknown FunAd:Storage, or Postgres without a connection string.</exception>
    public static CatalogueDatabase For(CatalogueOptions options, string dataRoot) => ParseProvider(options.Storage) switch
    {
        CatalogueProvider.Postgres when string.IsNullOrWhiteSpace(options.ConnectionString) => throw new InvalidOperationException(
            $"FunAd:Storage is Postgres but ConnectionStrings:{ConnectionStringName} is not set (environment variable ConnectionStrings__{ConnectionStringName}), so there is no database to use."),
        CatalogueProvider.Postgres => new(CatalogueProvider.Postgres, options.ConnectionString!),
        _ => new(CatalogueProvider.Sqlite, options.CatalogueConnectionString(Path.GetFullPath(dataRoot))),
    };

    public static CatalogueProvider ParseProvider(string? storage) => storage?.Trim().ToLowerInvariant() switch
    {
        null or "" or "sqlite" => CatalogueProvider.Sqlite,
        "postgres" or "postgresql" => CatalogueProvider.Postgres,
        _ => throw new InvalidOperationException($"FunAd:Storage is '{storage}'; it must be Sqlite or Postgres."),
    };

    /// <summary>Points EF Core options at this database.</summary>
    public DbContextOptionsBuilder Configure(DbContextOptionsBuilder builder) => Provider switch
    {
        CatalogueProvider.Postgres => builder.UseNpgsql(ConnectionString),
        _ => builder.UseSqlite(ConnectionString),
    };

    /// <summary>A context of the type whose migrations fit this provider.</summary>
    public CatalogueDbContext CreateContext(DbContextOptions<CatalogueDbContext> options) =>
        IsPostgres ? new PostgresCatalogueDbContext(options) : new CatalogueDbContext(options);

    /// <summary>A context factory outside dependency injection (command line, tests), optionally with interceptors.</summary>
    public IDbContextFactory<CatalogueDbContext> CreateFactory(params IInterceptor[] interceptors) =>
        new CatalogueContextFactory(
            ((DbContextOptionsBuilder<CatalogueDbContext>)Configure(new DbContextOptionsBuilder<CatalogueDbContext>())).AddInterceptors(interceptors).Options, this);

    /// <summary>
    /// Before the app starts on PostgreSQL: the server answers and takes the credentials, or one
    /// sentence says what is wrong instead of a driver's stack trace. A database that does not exist
    /// yet is fine: the first migration creates it.
    /// </summary>
    /// <exception cref="InvalidOperationException">The server cannot be reached or refuses the connection.</exception>
    public void EnsureReachable()
    {
        if (!IsPostgres) return;
        try
        {
            using var connection = new NpgsqlConnection(ConnectionString);
            connection.Open();
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
        }
        catch (Exception e) when (e is NpgsqlException or ArgumentException or TimeoutException)
        {
            throw new InvalidOperationException(
                $"The catalogue database cannot be reached ({e.Message.TrimEnd('.')}): check ConnectionStrings__{ConnectionStringName} and that the PostgreSQL server runs.", e);
        }
    }

    /// <summary>Where the catalogue is, for messages: the file, or host and database (never the password).</summary>
    public string Describe()
    {
        if (!IsPostgres) return new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(ConnectionString).DataSource;
        var settings = new NpgsqlConnectionStringBuilder(ConnectionString);
        return $"PostgreSQL database {settings.Database} on {settings.Host}:{settings.Port}";
    }
}

/// <summary>The application's <see cref="IDbContextFactory{TContext}"/>: EF Core's options (from DI or built by hand), the provider's context type.</summary>
public sealed class CatalogueContextFactory(DbContextOptions<CatalogueDbContext> options, CatalogueDatabase database) : IDbContextFactory<CatalogueDbContext>
{
    public CatalogueDbContext CreateDbContext() => database.CreateContext(options);
}
