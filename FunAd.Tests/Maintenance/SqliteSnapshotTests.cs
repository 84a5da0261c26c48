using FunAd.Jobs.Maintenance;
using FunAd.Tests.Support;
using Microsoft.Data.Sqlite;

namespace FunAd.Tests.Maintenance;

public sealed class SqliteSnapshotTests
{
    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    [Fact]
    public async Task A_snapshot_waits_for_a_lock_held_by_another_connection_instead_of_failing()
    {
        using var folder = new TemporaryFolder();
        var source = folder.Combine("catalogue.db");
        var copy = folder.Combine("copy.db");
        using (var setup = Open(source))
        {
            Execute(setup, "PRAGMA journal_mode=DELETE; CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (42);");
        }
        // In rollback-journal mode an exclusive transaction keeps every reader out, the backup's included.
        using var locker = Open(source);
        Execute(locker, "BEGIN EXCLUSIVE;");

        var metTheLock = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var snapshot = Task.Run(() => SqliteSnapshot.Copy(source, copy, () => metTheLock.TrySetResult()));
        // Released only once the snapshot has met the lock: without a retry it would have failed there.
        await Task.WhenAny(metTheLock.Task, snapshot).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(metTheLock.Task.IsCompleted, "the snapshot never met the lock");
        Execute(locker, "COMMIT;");
        await snapshot;

        using var copied = Open(copy);
        using var query = copied.CreateCommand();
        query.CommandText = "SELECT v FROM t";
        Assert.Equal(42L, query.ExecuteScalar());
    }
}
