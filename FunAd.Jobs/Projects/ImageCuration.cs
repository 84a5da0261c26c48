using FunAd.Jobs.Audit;
using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Scoring;
using Microsoft.EntityFrameworkCore;

namespace FunAd.Jobs.Projects;

/// <summary>
/// A reviewer's work on one stored image: what the detail view shows (label, mask, verdict, its
/// score in every run) and the changes it offers (relabel, leave out of training), each audited.
/// Deleting an image is <see cref="CatalogueDeletion"/>'s.
/// </summary>
public sealed class ImageCuration(IDbContextFactory<CatalogueDbContext> factory, AuditLog audit)
{
    public const int MaxDefectTypeLength = 100;

    public async Task<ImageDetail> GetAsync(long imageId, CancellationToken token = default)
    {
        await using var db = await factory.CreateDbContextAsync(token);
        var image = await db.Images.AsNoTracking().SingleOrDefaultAsync(i => i.Id == imageId, token)
            ?? throw new KeyNotFoundException($"Image {imageId} does not exist.");
        var review = await db.Reviews.AsNoTracking().Where(r => r.ImageId == imageId).OrderByDescending(r => r.At).FirstOrDefaultAsync(token);
        var scored = await db.Scores.AsNoTracking().Where(s => s.ImageId == imageId)
            .Join(db.Runs.AsNoTracking(), s => s.RunId, r => r.Id, (s, r) => new { Score = s, Run = r })
            .ToListAsync(token);
        var runs = scored.OrderByDescending(x => x.Run.CreatedAt).Select(x =>
        {
            var (low, high) = ScoreBands.ThresholdsOf(x.Run);
            return new ImageRunScore(x.Run.Id, x.Run.Method, x.Run.Status, x.Run.CreatedAt, x.Score.Score, ScoreBands.Of(x.Score.Score, low, high),
                x.Score.HeatmapPath is not null, x.Score.LeftOutOfBank);
        }).ToList();
        return new ImageDetail(image, review?.Verdict, review?.By, runs);
    }

    /// <summary>
    /// Relabels an image or leaves it out of training (or takes it back). Refuses a label other than
    /// "defective" for an image with a ground-truth mask: the mask says where its defect is.
    /// </summary>
    public async Task<ImageAsset> ChangeAsync(long imageId, ImageChange change, string? by, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        await using var db = await factory.CreateDbContextAsync(token);
        var image = await db.Images.SingleOrDefaultAsync(i => i.Id == imageId, token) ?? throw new KeyNotFoundException($"Image {imageId} does not exist.");
        var said = new List<string>();
        if (change.Label is { } label)
        {
            if (!Enum.IsDefined(label)) throw new ArgumentException($"Unknown label {label}: use unlabeled, normal or anomalous.");
            if (label != ImageLabel.Anomalous && image.MaskPath is not null)
                throw new ArgumentException($"Image '{image.OriginalName}' has a ground-truth mask, so it stays defective: its mask marks where the defect is.");
            var defectType = label == ImageLabel.Anomalous ? CheckDefectType(change.DefectType) ?? (change.DefectType is null ? image.DefectType : null) : null;
            if (label != image.Label || defectType != image.DefectType)
                said.Add($"label {Words(image.Label, image.DefectType)} -> {Words(label, defectType)}");
            (image.Label, image.DefectType) = (label, defectType);
        }
        else if (change.DefectType is not null)
        {
            if (image.Label != ImageLabel.Anomalous) throw new ArgumentException($"Image '{image.OriginalName}' is not labelled defective, so it has no defect type.");
            var defectType = CheckDefectType(change.DefectType);
            if (defectType != image.DefectType) said.Add($"defect type {image.DefectType ?? "none"} -> {defectType ?? "none"}");
            image.DefectType = defectType;
        }
        if (change.LeftOutOfTraining is { } leftOut && leftOut != image.LeftOutOfTraining)
        {
            image.LeftOutOfTraining = leftOut;
            said.Add(leftOut ? "left out of training" : "taken back into training");
        }
        if (said.Count == 0) return image;
        await db.SaveChangesAsync(token);
        await audit.RecordAsync(by, "image changed", $"image {imageId}", $"project {image.ProjectId}, {image.OriginalName}: {string.Join("; ", said)}", token);
        return image;
    }

    private static string Words(ImageLabel label, string? defectType) => ImageLabels.Describe(label, defectType) ?? "unlabeled";

    private static string? CheckDefectType(string? defectType)
    {
        var trimmed = defectType?.Trim();
        if (string.IsNullOrEmpty(trimmed)) return null;
        if (trimmed.Length > MaxDefectTypeLength) throw new ArgumentException($"A defect type has at most {MaxDefectTypeLength} characters.");
        if (trimmed.Any(char.IsControl)) throw new ArgumentException("A defect type may not hold control characters.");
        return trimmed;
    }
}
