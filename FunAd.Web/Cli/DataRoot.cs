using FunAd.Jobs.Hosting;

namespace FunAd.Web.Cli;

/// <summary>
/// Where the verbs keep files when nothing else is said: the same setting as the web app
/// (environment variable FunAd__DataRoot), else ./data. The catalogue's provider is read from the
/// environment too (FunAd__Storage, ConnectionStrings__Catalogue), as the web app reads it there.
/// </summary>
public static class DataRoot
{
    public const string Variable = "FunAd__DataRoot";

    public static string Resolve() => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } root ? Path.GetFullPath(root) : Path.GetFullPath("data");

    /// <summary>The catalogue the environment names for this data root.</summary>
    public static CatalogueDatabase Database() => CatalogueDatabase.For(Options(), Resolve());

    /// <summary>
    /// Backup and restore copy SQLite databases with SQLite's own backup API; on PostgreSQL they refuse
    /// (before touching anything) and say what to do instead.
    /// </summary>
    public static void RefuseUnlessSqlite(string verb)
    {
        if (CatalogueDatabase.ParseProvider(Options().Storage) == CatalogueProvider.Postgres)
            throw new InvalidOperationException(
                $"funad {verb} copies SQLite catalogues and FunAd__Storage is Postgres: {verb} the database with pg_dump/pg_restore and the data root {Resolve()} with a file copy instead.");
    }

    private static CatalogueOptions Options() =>
        CatalogueSetup.ReadOptions(new ConfigurationBuilder().AddEnvironmentVariables().Build());
}
