using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace FunAd.Jobs.Maintenance;

/// <summary>
/// The catalogue of a data root (or of a backup, which has the same layout) opened from outside the
/// web app, for the maintenance verbs. SQLite connections are not pooled, so the file is let go as soon
/// as a context is: a backup folder can be moved, a restored root handed to the app. With PostgreSQL
/// the catalogue is the database the settings name and the root holds only files (backup and restore
/// are SQLite's; the check works on both).
/// </summary>
public sealed class DataRootCatalogue : IDbContextFactory<CatalogueDbContext>
{
    private readonly IDbContextFactory<CatalogueDbContext> _factory;

    /// <param name="database">The PostgreSQL catalogue, where the settings name one; null for the root's own catalogue.db.</param>
    public DataRootCatalogue(string root, CatalogueDatabase? database = null)
    {
        Root = Path.GetFullPath(root);
        var settings = new CatalogueOptions();
        DatabasePath = Path.Combine(Root, settings.CatalogueFile);
        JobsDatabasePath = Path.Combine(Root, settings.JobsFile);
        var connection = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            ForeignKeys = true,
            DefaultTimeout = 30,
            Pooling = false,
        };
        Database = database is { IsPostgres: true } ? database : new CatalogueDatabase(CatalogueProvider.Sqlite, connection.ToString());
        _factory = Database.CreateFactory();
    }

    public string Root { get; }

    public CatalogueDatabase Database { get; }

    /// <summary>The SQLite catalogue file (also where the PostgreSQL catalogue is not in the root).</summary>
    public string DatabasePath { get; }

    public string JobsDatabasePath { get; }

    /// <summary>Whether there is a catalogue file; a PostgreSQL catalogue is looked for by <see cref="EnsureCurrentAsync"/>.</summary>
    public bool Exists => Database.IsPostgres || File.Exists(DatabasePath);

    /// <summary>The catalogue, for messages: the file, or the PostgreSQL host and database.</summary>
    public string Location => Database.IsPostgres ? Database.Describe() : DatabasePath;

    public CatalogueDbContext CreateDbContext() => _factory.CreateDbContext();

    /// <summary>
    /// Throws unless there is a catalogue whose schema is the one this build knows: an older one is
    /// upgraded by the app's next start, a newer one belongs to a newer FunAd. Checks never migrate.
    /// </summary>
    public async Task EnsureCurrentAsync(CancellationToken cancellation = default)
    {
        if (!Exists) throw new InvalidOperationException($"{Root}: no catalogue here ({Path.GetFileName(DatabasePath)} is missing).");
        await using var db = CreateDbContext();
        if (Database.IsPostgres && !(await db.Database.GetAppliedMigrationsAsync(cancellation)).Any())
            throw new InvalidOperationException($"{Location}: no catalogue there yet (no migration applied); start the app once to create it.");
        if (await NewerMigrationsAsync(db, cancellation) is [var newer, ..])
            throw new InvalidOperationException($"{Location}: written by a newer FunAd (schema {newer}); use that version.");
        if ((await db.Database.GetPendingMigrationsAsync(cancellation)).FirstOrDefault() is { } pending)
            throw new InvalidOperationException($"{Location}: the schema is older than this FunAd ({pending} is not applied); start the app once to upgrade it.");
    }

    /// <summary>Migrations the catalogue has applied that this build does not know.</summary>
    public async Task<IReadOnlyList<string>> NewerMigrationsAsync(CancellationToken cancellation = default)
    {
        await using var db = CreateDbContext();
        return await NewerMigrationsAsync(db, cancellation);
    }

    /// <summary>The last migration the catalogue has applied (its schema version), or null for an empty file.</summary>
    public async Task<string?> SchemaAsync(CancellationToken cancellation = default)
    {
        await using var db = CreateDbContext();
        return (await db.Database.GetAppliedMigrationsAsync(cancellation)).LastOrDefault();
    }

    private static async Task<IReadOnlyList<string>> NewerMigrationsAsync(CatalogueDbContext db, CancellationToken cancellation)
    {
        var known = db.Database.GetMigrations().ToHashSet(StringComparer.Ordinal);
        return (await db.Database.GetAppliedMigrationsAsync(cancellation)).Where(m => !known.Contains(m)).ToList();
    }
}
