using FunAd.Engine.Imaging;
using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Hosting;
using FunAd.Jobs.Storage;
using FunAd.Jobs.Uploads;
using FunAd.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace FunAd.Tests.Uploads;

/// <summary>
/// A real catalogue for upload tests: a migrated SQLite file (WAL, as in production) or PostgreSQL
/// database (see <see cref="TestDatabase"/>) and a data root in a temporary folder, with one open
/// project. The importer's factory can carry interceptors, to make saving fail; the test's own reads
/// and writes go through <see cref="Open"/>, which has none.
/// </summary>
public sealed class UploadTestCatalogue : IDbContextFactory<CatalogueDbContext>, IDisposable
{
    private readonly TemporaryFolder _temp = new();
    private readonly TestDatabase _database;
    private readonly IDbContextFactory<CatalogueDbContext> _plain;
    private readonly IDbContextFactory<CatalogueDbContext> _forImporter;

    private UploadTestCatalogue(CatalogueProvider provider, IInterceptor[] interceptors)
    {
        DataRoot = _temp.Combine("data");
        Store = new ArtifactStore(DataRoot);
        _database = TestDatabase.Create(provider, DataRoot);
        _plain = _database.Database.CreateFactory();
        _forImporter = _database.Database.CreateFactory(interceptors);
    }

    public string TempRoot => _temp.Path;
    public string DataRoot { get; }
    public ArtifactStore Store { get; }
    public int ProjectId { get; private set; }

    public static Task<UploadTestCatalogue> CreateAsync(params IInterceptor[] interceptors) => CreateAsync(CatalogueProvider.Sqlite, interceptors);

    public static async Task<UploadTestCatalogue> CreateAsync(CatalogueProvider provider, params IInterceptor[] interceptors)
    {
        var catalogue = new UploadTestCatalogue(provider, interceptors);
        await CatalogueSetup.MigrateAsync(catalogue._plain);
        catalogue.ProjectId = await catalogue.AddProjectAsync("screws");
        return catalogue;
    }

    public async Task<int> AddProjectAsync(string name, bool archived = false)
    {
        await using var db = Open();
        var project = new Project { Name = name, Mode = "defect", Backbone = "resnet18", Archived = archived };
        db.Projects.Add(project);
        await db.SaveChangesAsync();
        return project.Id;
    }

    /// <summary>A context without the importer's interceptors.</summary>
    public CatalogueDbContext Open() => _plain.CreateDbContext();

    public CatalogueDbContext CreateDbContext() => _forImporter.CreateDbContext();

    public UploadImporter Importer(UploadLimits? limits = null, DecodeLimits? decodeLimits = null) =>
        new(this, Store, limits ?? UploadLimits.Default, decodeLimits ?? DecodeLimits.Default);

    public Task<UploadReport> ImportAsync(params UploadedFile[] files) => Importer().ImportAsync(ProjectId, files);

    public async Task<List<ImageAsset>> ImagesAsync()
    {
        await using var db = Open();
        return await db.Images.AsNoTracking().OrderBy(i => i.Id).ToListAsync();
    }

    /// <summary>Files under the data root other than the catalogue's own, relative and '/'-separated.</summary>
    public List<string> StoredFiles() =>
        Directory.EnumerateFiles(DataRoot, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(DataRoot, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith("catalogue.db", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();

    public void Dispose()
    {
        _database.Dispose();
        _temp.Dispose();
    }
}
