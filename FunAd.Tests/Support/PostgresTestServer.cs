using Npgsql;

namespace FunAd.Tests.Support;

/// <summary>
/// The PostgreSQL server the tests may use: FUNAD_TEST_POSTGRES holds a connection string for a role
/// that may create databases (for instance Host=127.0.0.1;Port=5432;Username=funad;Password=funad;Database=postgres).
/// Without it the PostgreSQL variants of the tests are skipped, unless FUNAD_REQUIRE_POSTGRES=1 (set by
/// .ci/run): there a missing server is a failure, not a skip.
/// </summary>
public static class PostgresTestServer
{
    public const string Variable = "FUNAD_TEST_POSTGRES";
    public const string RequireVariable = "FUNAD_REQUIRE_POSTGRES";

    public static string? AdminConnectionString => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    public static bool Required => Environment.GetEnvironmentVariable(RequireVariable) == "1";

    /// <summary>Why PostgreSQL tests are skipped here, or null when they run (or must run).</summary>
    public static string? SkipReason => AdminConnectionString is null && !Required
        ? $"{Variable} is not set (an admin connection string such as Host=127.0.0.1;Username=funad;Password=funad;Database=postgres): PostgreSQL tests skipped."
        : null;

    /// <summary>Creates an empty database with a name of its own and returns its connection string.</summary>
    public static string CreateDatabase()
    {
        var admin = AdminConnectionString ?? throw new InvalidOperationException(
            $"{RequireVariable}=1 but {Variable} is not set: PostgreSQL tests need a server (see .ci/run).");
        var name = $"funad_test_{Guid.NewGuid():N}";
        using (var connection = new NpgsqlConnection(admin))
        {
            connection.Open();
            using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            command.ExecuteNonQuery();
        }
        return new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }

    /// <summary>Drops a database made by <see cref="CreateDatabase"/>, whoever is still connected to it.</summary>
    public static void DropDatabase(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        // Pooled idle connections of this process would otherwise hold the database open.
        NpgsqlConnection.ClearAllPools();
        using var connection = new NpgsqlConnection(AdminConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            try
            {
                command.ExecuteNonQuery();
                return;
            }
            // FORCE may only end our own role's sessions; an autovacuum worker that just started on the
            // new tables is the server's, and leaves within moments.
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.ObjectInUse && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(200);
            }
        }
    }
}
