using FunAd.Jobs.Hosting;
using Microsoft.Data.Sqlite;

namespace FunAd.Tests.Support;

/// <summary>
/// One test's catalogue database on either provider: SQLite's catalogue.db in the test's data root,
/// or a fresh PostgreSQL database of its own on <see cref="PostgresTestServer"/>, dropped afterwards.
/// </summary>
public sealed class TestDatabase : IDisposable
{
    private TestDatabase(CatalogueDatabase database) => Database = database;

    public CatalogueDatabase Database { get; }

    public CatalogueProvider Provider => Database.Provider;

    public static TestDatabase Create(CatalogueProvider provider, string dataRoot) => provider switch
    {
        CatalogueProvider.Postgres => new(new CatalogueDatabase(provider, PostgresTestServer.CreateDatabase())),
        _ => new(new CatalogueDatabase(provider, new CatalogueOptions().CatalogueConnectionString(Path.GetFullPath(dataRoot)))),
    };

    /// <summary>The settings that point a host (web app, funad process) at this database.</summary>
    public IReadOnlyDictionary<string, string?> HostSettings => Database.IsPostgres
        ? new Dictionary<string, string?> { ["FunAd:Storage"] = "Postgres", [$"ConnectionStrings:{CatalogueDatabase.ConnectionStringName}"] = Database.ConnectionString }
        : new Dictionary<string, string?> { ["FunAd:Storage"] = "Sqlite" };

    public void Dispose()
    {
        if (Database.IsPostgres) PostgresTestServer.DropDatabase(Database.ConnectionString);
        else SqliteConnection.ClearAllPools();
    }
}
