using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Hosting;
using FunAd.Jobs.Maintenance;
using FunAd.Jobs.Storage;
using FunAd.Tests.Support;
using FunAd.Tests.Web;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FunAd.Tests.Maintenance;

/// <summary>The app's start-up check: temporary files go, everything else is left for an operator to repair.</summary>
public sealed class StartupCheckTests
{
    [Fact]
    public async Task Start_up_removes_temporary_files_and_repairs_nothing_else()
    {
        var data = new TemporaryFolder();
        var catalogue = new DataRootCatalogue(data.Path);
        await CatalogueSetup.MigrateAsync(catalogue);
        long lostImage;
        await using (var db = catalogue.CreateDbContext())
        {
            var project = new Project { Name = "bricks", Mode = "defect", Backbone = "resnet18" };
            db.Projects.Add(project);
            await db.SaveChangesAsync();
            var hash = new string('a', 64);
            var image = new ImageAsset { ProjectId = project.Id, ContentHash = hash, OriginalName = "a.png", StoredPath = ArtifactStore.ImagePath(project.Id, hash, ".png") };
            db.Images.Add(image);
            await db.SaveChangesAsync();
            lostImage = image.Id;
        }
        SqliteConnection.ClearAllPools();
        byte[] junk = [1, 2, 3];
        var spool = SampleDataRoot.Put(data.Path, "tmp/upload-1.zip.partial", junk);
        var partial = SampleDataRoot.Put(data.Path, $"projects/1/images/bb/{new string('b', 64)}.png.0a0b0c0d.partial", junk);
        var orphan = SampleDataRoot.Put(data.Path, ArtifactStore.ImagePath(1, new string('c', 64), ".png"), junk);

        await using (var host = await RunningHost.StartAsync(data))
        {
            host.KeepData = true;
            Assert.False(File.Exists(Path.Combine(data.Path, spool)));
            Assert.False(File.Exists(Path.Combine(data.Path, partial)));
            Assert.True(File.Exists(Path.Combine(data.Path, orphan)), "an unreferenced file is only deleted by an asked-for repair");
            var factory = host.App.Services.GetRequiredService<IDbContextFactory<CatalogueDbContext>>();
            await using var db = await factory.CreateDbContextAsync();
            Assert.True(await db.Images.AnyAsync(i => i.Id == lostImage), "a row is only repaired when someone asks");
        }
        data.Dispose();
    }
}
