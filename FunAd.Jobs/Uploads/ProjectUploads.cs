using FunAd.Jobs.Audit;

namespace FunAd.Jobs.Uploads;

/// <summary>
/// Images into a project the one way there is: the <see cref="UploadImporter"/> judges and stores them
/// (validation, duplicates, one transaction) and the audit log records who uploaded what. The upload
/// API and "Add to project" of newly scored images both come here, so they keep the same rules and the
/// same audit entry.
/// </summary>
public sealed class ProjectUploads(UploadImporter importer, AuditLog audit)
{
    /// <param name="by">Who uploads (the audit's actor).</param>
    /// <param name="via">Where the files come from when not from an upload form ("scored with run 7"), written before the audit's counts.</param>
    /// <remarks>Throws what <see cref="UploadImporter.ImportAsync"/> throws (no such project, an archived one, cancelled); then nothing is audited, as nothing was stored.</remarks>
    public async Task<UploadReport> ImportAsync(int projectId, IReadOnlyList<UploadedFile> files, string? by, string? via = null, CancellationToken token = default)
    {
        var report = await importer.ImportAsync(projectId, files, token);
        await audit.RecordAsync(by, "upload", $"project {projectId}",
            (via is null ? "" : $"{via}: ") + $"{files.Count} file(s): {report.Accepted} accepted, {report.Duplicates} duplicate, {report.Refused} refused"
            + (report.Error is null ? "" : $"; not saved: {report.Error}"), token);
        return report;
    }
}
