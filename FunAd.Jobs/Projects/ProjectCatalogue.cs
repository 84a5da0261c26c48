using FunAd.Engine.Models;
using FunAd.Jobs.Audit;
using FunAd.Jobs.Catalogue;
using Microsoft.EntityFrameworkCore;

namespace FunAd.Jobs.Projects;

/// <summary>A project as lists show it: its settings and how many images and runs it has.</summary>
public sealed record ProjectSummary(int Id, string Name, string Mode, string Backbone, int InputSize, bool Archived,
    DateTimeOffset CreatedAt, string? CreatedBy, int Images, int Runs);

/// <summary>Image counts of a project by ground-truth label (labels only come from MVTec-style uploads).</summary>
public sealed record LabelCounts(int All, int Unlabeled, int Normal, int Anomalous, int WithMask);

/// <summary>Creates, lists, renames and archives projects; checks names and settings with clear errors.</summary>
public sealed class ProjectCatalogue(IDbContextFactory<CatalogueDbContext> factory, BackboneFolder backbones)
{
    private readonly AuditLog audit = new(factory);

    public const int MaxNameLength = 200;

    public async Task<IReadOnlyList<ProjectSummary>> ListAsync(bool includeArchived, CancellationToken token = default)
    {
        await using var db = await factory.CreateDbContextAsync(token);
        var query = db.Projects.AsNoTracking().Where(p => includeArchived || !p.Archived);
        var rows = await query
            .Select(p => new ProjectSummary(p.Id, p.Name, p.Mode, p.Backbone, p.InputSize, p.Archived, p.CreatedAt, p.CreatedBy, p.Images.Count, p.Runs.Count))
            .ToListAsync(token);
        return rows.OrderBy(p => p.Archived).ThenByDescending(p => p.CreatedAt).ToList();
    }

    public async Task<ProjectSummary?> GetAsync(int id, CancellationToken token = default)
    {
        await using var db = await factory.CreateDbContextAsync(token);
        return await db.Projects.AsNoTracking().Where(p => p.Id == id)
            .Select(p => new ProjectSummary(p.Id, p.Name, p.Mode, p.Backbone, p.InputSize, p.Archived, p.CreatedAt, p.CreatedBy, p.Images.Count, p.Runs.Count))
            .SingleOrDefaultAsync(token);
    }

    /// <summary>Creates a project; throws ArgumentException naming what is wrong with the settings.</summary>
    public async Task<ProjectSummary> CreateAsync(string name, string mode, string backbone, string? createdBy, CancellationToken token = default)
    {
        name = CheckName(name);
        var detection = DetectionModeParser.Parse(mode);
        backbone = backbones.Check(backbone);
        await using var db = await factory.CreateDbContextAsync(token);
        var project = new Project { Name = name, Mode = detection.Name(), Backbone = backbone, InputSize = 224, CreatedBy = createdBy };
        db.Projects.Add(project);
        await db.SaveChangesAsync(token);
        await audit.RecordAsync(createdBy, "project created", $"project {project.Id}", $"{name}, {project.Mode}, {backbone}", token);
        return (await GetAsync(project.Id, token))!;
    }

    public async Task<ProjectSummary> UpdateAsync(int id, string? name, bool? archived, CancellationToken token = default) =>
        await UpdateAsync(id, name, archived, by: null, token);

    public async Task<ProjectSummary> UpdateAsync(int id, string? name, bool? archived, string? by, CancellationToken token = default)
    {
        await using var db = await factory.CreateDbContextAsync(token);
        var project = await db.Projects.SingleOrDefaultAsync(p => p.Id == id, token) ?? throw new KeyNotFoundException($"Project {id} does not exist.");
        if (name is not null) project.Name = CheckName(name);
        if (archived is { } value) project.Archived = value;
        await db.SaveChangesAsync(token);
        await audit.RecordAsync(by, "project changed", $"project {id}",
            string.Join(", ", new[] { name is null ? null : $"renamed to {project.Name}", archived is null ? null : archived.Value ? "archived" : "restored" }.Where(x => x is not null)), token);
        return (await GetAsync(id, token))!;
    }

    public async Task<LabelCounts> CountLabelsAsync(int id, CancellationToken token = default)
    {
        await using var db = await factory.CreateDbContextAsync(token);
        var groups = await db.Images.Where(i => i.ProjectId == id).GroupBy(i => i.Label)
            .Select(g => new { Label = g.Key, Count = g.Count() }).ToListAsync(token);
        var masks = await db.Images.CountAsync(i => i.ProjectId == id && i.MaskPath != null, token);
        int Of(ImageLabel label) => groups.FirstOrDefault(g => g.Label == label)?.Count ?? 0;
        return new LabelCounts(groups.Sum(g => g.Count), Of(ImageLabel.Unlabeled), Of(ImageLabel.Normal), Of(ImageLabel.Anomalous), masks);
    }

    /// <summary>A page of a project's images, optionally of one label, in upload order unless told otherwise.</summary>
    public async Task<(IReadOnlyList<ImageAsset> Items, int Total)> ListImagesAsync(int id, ImageLabel? label, int skip, int take, CancellationToken token = default,
        ImageOrder order = ImageOrder.Uploaded)
    {
        await using var db = await factory.CreateDbContextAsync(token);
        var query = db.Images.AsNoTracking().Where(i => i.ProjectId == id && (label == null || i.Label == label));
        var total = await query.CountAsync(token);
        var ordered = order switch
        {
            ImageOrder.Newest => query.OrderByDescending(i => i.Id),
            ImageOrder.Name => query.OrderBy(i => i.OriginalName).ThenBy(i => i.Id),
            _ => query.OrderBy(i => i.Id),
        };
        var items = await ordered.Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 0, 1000)).ToListAsync(token);
        return (items, total);
    }

    private static string CheckName(string? name)
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length == 0) throw new ArgumentException("A project needs a name.");
        if (trimmed.Length > MaxNameLength) throw new ArgumentException($"A project name has at most {MaxNameLength} characters.");
        if (trimmed.Any(char.IsControl)) throw new ArgumentException("A project name may not hold control characters (line breaks, tabs, NUL).");
        return trimmed;
    }
}
