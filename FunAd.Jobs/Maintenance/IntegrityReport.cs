namespace FunAd.Jobs.Maintenance;

/// <summary>
/// What <see cref="IntegrityCheck"/> found in a data root. Paths are relative to the root and
/// '/'-separated. Files written within the check's grace period are listed apart in
/// <see cref="RecentFiles"/> and are not problems: they may belong to a write still in progress.
/// </summary>
public sealed record IntegrityReport
{
    public required string Root { get; init; }

    /// <summary>What SQLite's <c>PRAGMA integrity_check</c> said about the catalogue: "ok", or its findings; on PostgreSQL <see cref="DatabaseCheckSkipped"/>.</summary>
    public required IReadOnlyList<string> DatabaseCheck { get; init; }

    /// <summary>False on PostgreSQL, which has no integrity check of a whole database to run here.</summary>
    public bool DatabaseChecked { get; init; } = true;

    public const string DatabaseCheckSkipped =
        "not checked: PostgreSQL has no equivalent of SQLite's integrity_check (the server checks its own pages; pg_amcheck checks indexes)";

    /// <summary><c>*.partial</c> files anywhere under the root and anything in <c>tmp/</c>: writes a killed process never finished.</summary>
    public required IReadOnlyList<string> TemporaryFiles { get; init; }

    /// <summary>Images whose file is gone: the image is lost (repair deletes its row, scores and verdict).</summary>
    public required IReadOnlyList<MissingFile> MissingImages { get; init; }

    /// <summary>Images whose ground-truth mask is gone (repair forgets the mask).</summary>
    public required IReadOnlyList<MissingFile> MissingMasks { get; init; }

    /// <summary>Images whose thumbnail is gone (repair draws it again from the image).</summary>
    public required IReadOnlyList<MissingFile> MissingThumbnails { get; init; }

    /// <summary>Succeeded runs whose model folder or ONNX file is gone (reported only: a model cannot be rebuilt here).</summary>
    public required IReadOnlyList<MissingFile> MissingRunFiles { get; init; }

    /// <summary>Scores whose heatmap is gone (repair forgets the heatmap; the score stays).</summary>
    public required IReadOnlyList<MissingFile> MissingHeatmaps { get; init; }

    /// <summary>Files in a project's images, masks or thumbnails folder that no row references (repair deletes them).</summary>
    public required IReadOnlyList<string> UnreferencedFiles { get; init; }

    /// <summary>Temporary or unreferenced files younger than the grace period, left alone.</summary>
    public required IReadOnlyList<string> RecentFiles { get; init; }

    /// <summary>No finding about the database itself (also where it was not checked).</summary>
    public bool DatabaseOk => !DatabaseChecked || DatabaseCheck is ["ok"];

    /// <summary>Each finding counts once; a damaged database counts as one.</summary>
    public int ProblemCount =>
        (DatabaseOk ? 0 : 1) + TemporaryFiles.Count + MissingImages.Count + MissingMasks.Count + MissingThumbnails.Count
        + MissingRunFiles.Count + MissingHeatmaps.Count + UnreferencedFiles.Count;

    public bool IsClean => ProblemCount == 0;

    /// <summary>One line: "clean", or the count of each kind of problem found.</summary>
    public string Summary()
    {
        var parts = new List<string>();
        if (!DatabaseOk) parts.Add("the catalogue database is damaged");
        Add(TemporaryFiles.Count, "temporary file(s)");
        Add(MissingImages.Count, "image(s) whose file is lost");
        Add(MissingMasks.Count, "missing mask(s)");
        Add(MissingThumbnails.Count, "missing thumbnail(s)");
        Add(MissingRunFiles.Count, "missing model file(s) of succeeded runs");
        Add(MissingHeatmaps.Count, "missing heatmap(s)");
        Add(UnreferencedFiles.Count, "file(s) no row references");
        return parts.Count == 0 ? "clean" : string.Join(", ", parts);

        void Add(int count, string what)
        {
            if (count > 0) parts.Add($"{count} {what}");
        }
    }
}
