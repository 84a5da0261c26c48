using Microsoft.Data.Sqlite;

namespace FunAd.Jobs.Maintenance;

/// <summary>
/// A consistent copy of a SQLite database that may be in use, through SQLite's online backup API: the
/// copy is one committed state, including what sits in the write-ahead log, and a writer in another
/// process never sees it (copying the file would miss the log and could catch a page half-written).
/// </summary>
internal static class SqliteSnapshot
{
    /// <summary>
    /// Copies <paramref name="source"/> to <paramref name="destination"/>, written under a temporary
    /// name and moved into place. The copy is a single file in rollback-journal mode, so it can be
    /// moved and copied as it is; the app switches it back to WAL when it opens it.
    /// </summary>
    /// <param name="onBusy">Called each time the source is locked and the copy waits (lets a test release the lock on cue).</param>
    public static void Copy(string source, string destination, Action? onBusy = null)
    {
        var temporary = $"{destination}.{Guid.NewGuid().ToString("N")[..8]}.partial";
        try
        {
            using (var from = Open(source, SqliteOpenMode.ReadWrite))
            using (var to = Open(temporary, SqliteOpenMode.ReadWriteCreate))
            {
                Backup(from, to, onBusy);
                // The copied header still says WAL when the source was; this makes the copy self-contained.
                using var command = to.CreateCommand();
                command.CommandText = "PRAGMA journal_mode=DELETE;";
                var mode = command.ExecuteScalar() as string;
                if (!string.Equals(mode, "delete", StringComparison.OrdinalIgnoreCase))
                    throw new IOException($"{destination}: the copy stayed in journal mode '{mode}'.");
            }
            // A log or journal left beside the target by an earlier database would be applied to this one.
            foreach (var suffix in new[] { "-wal", "-shm", "-journal" }) File.Delete(destination + suffix);
            File.Move(temporary, destination, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
            File.Delete(temporary + "-journal");
        }
    }

    /// <summary>
    /// SQLite's backup step gives up at once when another connection holds a lock it needs (the app
    /// checkpointing its log, or closing its last connection); Microsoft.Data.Sqlite does not retry it
    /// as it does statements, so this does, for up to <see cref="BusyTimeout"/>. Each try starts over.
    /// </summary>
    private static void Backup(SqliteConnection from, SqliteConnection to, Action? onBusy)
    {
        var deadline = DateTime.UtcNow + BusyTimeout;
        while (true)
        {
            try
            {
                from.BackupDatabase(to);
                return;
            }
            catch (SqliteException e) when (e.SqliteErrorCode is Busy or Locked && DateTime.UtcNow < deadline)
            {
                onBusy?.Invoke();
                Thread.Sleep(50);
            }
        }
    }

    private const int Busy = 5;
    private const int Locked = 6;
    private static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(30);

    private static SqliteConnection Open(string path, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = mode,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString());
        connection.Open();
        return connection;
    }
}
