using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Hosting;
using FunAd.Jobs.Storage;
using Microsoft.EntityFrameworkCore;

namespace FunAd.Tests.Support;

/// <summary>
/// A real catalogue, migrated, with an artifact store beside it in a temporary folder: a SQLite file in
/// the data root (the default), or a fresh PostgreSQL database of its own (see <see cref="TestDatabase"/>).
/// </summary>
public sealed class CatalogueFixture : IDisposable
{
    private readonly TemporaryFolder folder = new();
    private readonly TestDatabase database;

    public CatalogueFixture(CatalogueProvider provider = CatalogueProvider.Sqlite)
    {
        Store = new ArtifactStore(folder.Combine("data"));
        database = TestDatabase.Create(provider, Store.Root);
        Factory = database.Database.CreateFactory();
        using var db = Factory.CreateDbContext();
        db.Database.Migrate();
    }

    public ArtifactStore Store { get; }

    public CatalogueProvider Provider => database.Provider;

    /// <summary>The settings that point a host or a funad process at this catalogue.</summary>
    public IReadOnlyDictionary<string, string?> HostSettings => database.HostSettings;

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
        database.Dispose();
        folder.Dispose();
    }
}
