using System.Text.Json;

namespace FunAd.Jobs.Maintenance;

/// <summary>
/// <c>backup.json</c>, written last into a backup folder (so a folder without it is an unfinished
/// backup): when and by which FunAd it was made, what it holds, and every file with its size, which
/// restore checks before copying anything.
/// </summary>
public sealed record BackupManifest
{
    public const string FileName = "backup.json";
    public const int CurrentFormat = 1;

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    public int Format { get; init; } = CurrentFormat;
    public required DateTimeOffset CreatedAt { get; init; }
    public required string FunAdVersion { get; init; }
    /// <summary>The data root backed up.</summary>
    public required string Source { get; init; }
    /// <summary>The catalogue's last applied migration.</summary>
    public string? Schema { get; init; }
    public required Totals Counts { get; init; }
    /// <summary>The SQLite snapshots (catalogue.db, and jobs.db where the app had one).</summary>
    public required IReadOnlyList<FileEntry> Databases { get; init; }
    /// <summary>The stored files, relative to the root and '/'-separated.</summary>
    public required IReadOnlyList<FileEntry> Files { get; init; }
    /// <summary>Files the catalogue names that were not in the data root (funad check lists them too).</summary>
    public IReadOnlyList<string> Missing { get; init; } = [];
    public string LeftOut { get; init; } = "features/ (the feature cache, rebuilt on demand), tmp/ and temporary files";

    public long TotalBytes => Databases.Sum(d => d.Size) + Files.Sum(f => f.Size);

    public sealed record FileEntry(string Path, long Size);

    public sealed record Totals(int Projects, int Images, int Runs, int Reviews);

    public void Write(string folder)
    {
        var path = Path.Combine(folder, FileName);
        var temporary = path + ".partial";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, Json));
        File.Move(temporary, path, overwrite: true);
    }

    /// <exception cref="InvalidOperationException">The folder is not a finished backup.</exception>
    /// <exception cref="InvalidDataException">The manifest cannot be read, or is of a newer format.</exception>
    public static BackupManifest Read(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) throw new InvalidOperationException($"{folder}: not a FunAd backup ({FileName} is missing; an interrupted backup has none).");
        BackupManifest? manifest;
        try { manifest = JsonSerializer.Deserialize<BackupManifest>(File.ReadAllText(path), Json); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: unreadable ({e.Message})."); }
        if (manifest is null) throw new InvalidDataException($"{path}: empty.");
        if (manifest.Format > CurrentFormat) throw new InvalidDataException($"{path}: backup format {manifest.Format} is newer than this FunAd understands ({CurrentFormat}).");
        return manifest;
    }
}
