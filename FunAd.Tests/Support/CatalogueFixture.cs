using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace FunAd.Tests.Support;

/// <summary>A real SQLite catalogue file, migrated, with an artifact store beside it, in a temporary folder.</summary>
public sealed class CatalogueFixture : IDisposable
{
    private readonly TemporaryFolder folder = new();

    public CatalogueFixture()
    {
        Store = new ArtifactStore(folder.Combine("data"));
        var options = new DbContextOptionsBuilder<CatalogueDbContext>()
            .UseSqlite($"Data Source={Path.Combine(Store.Root, "catalogue.db")};Foreign Keys=True")
            .Options;
        Factory = new ContextFactory(options);
        using var db = Factory.CreateDbContext();
        db.Database.Migrate();
    }

    public ArtifactStore Store { get; }

    public IDbContextFactory<CatalogueDbContext> Factory { get; }

    public string Root => Store.Root;

    public async Task<Project> AddProjectAsync(string name = "bricks", string mode = "defect")
    {
        await using var db = await Factory.CreateDbContextAsync();
        var project = new Project { Name = name, Mode = mode, Backbone = "resnet18" };
        db.Projects.Add(project);
        await db.SaveChangesAsync();
        return project;
    }

    /// <summary>Puts image files into the store and the catalogue as accepted uploads would be.</summary>
    public async Task AddImagesAsync(int projectId, IEnumerable<string> paths)
    {
        await using var db = await Factory.CreateDbContextAsync();
        foreach (var path in paths)
        {
            var bytes = await File.ReadAllBytesAsync(path);
            var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
            var stored = ArtifactStore.ImagePath(projectId, hash, Path.GetExtension(path));
            Store.WriteAtomically(stored, bytes);
            db.Images.Add(new ImageAsset { ProjectId = projectId, ContentHash = hash, OriginalName = Path.GetFileName(path), StoredPath = stored, SizeBytes = bytes.Length });
        }
        await db.SaveChangesAsync();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        folder.Dispose();
    }

    private sealed class ContextFactory(DbContextOptions<CatalogueDbContext> options) : IDbContextFactory<CatalogueDbContext>
    {
        public CatalogueDbContext CreateDbContext() => new(options);
    }
}
