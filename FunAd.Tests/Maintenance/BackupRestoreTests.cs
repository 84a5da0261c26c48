using System.Security.Cryptography;
using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Maintenance;
using FunAd.Jobs.Storage;
using FunAd.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace FunAd.Tests.Maintenance;

/// <summary>
/// A backup taken while the catalogue is in use (WAL, a connection holding it open, a write in flight
/// and writes after the snapshot), restored into a fresh root: everything the snapshot holds comes
/// back, nothing written after it does, and the restored root checks clean.
/// </summary>
public sealed class BackupRestoreTests
{
    private static readonly byte[] Junk = [7, 7, 7];

    [Fact]
    public async Task A_backup_of_a_running_catalogue_restores_every_project_image_run_model_and_verdict()
    {
        using var catalogue = new CatalogueFixture();
        using var folder = new TemporaryFolder();
        var databasePath = Path.Combine(catalogue.Root, "catalogue.db");
        // The app's connection: WAL, held open, so the rows written next stay in the log rather than in catalogue.db.
        await using var app = Open(databasePath);
        Execute(app, "PRAGMA journal_mode=WAL;");
        var sample = await SampleDataRoot.CreateAsync(catalogue);
        Assert.True(new FileInfo(databasePath + "-wal").Length > 0, "the rows are in the write-ahead log, which a plain file copy would miss");
        await using var jobs = Open(Path.Combine(catalogue.Root, "jobs.db"));
        Execute(jobs, "PRAGMA journal_mode=WAL; CREATE TABLE Job (Id INTEGER PRIMARY KEY, Name TEXT); INSERT INTO Job (Name) VALUES ('train run 1');");
        // What a backup leaves out: the feature cache, upload spools, writes that never finished.
        SampleDataRoot.Put(catalogue.Root, "features/ab/abcdef.npy", Junk);
        SampleDataRoot.Put(catalogue.Root, "tmp/upload-1.zip.partial", Junk);
        SampleDataRoot.Put(catalogue.Root, $"{sample.OnnxPath}.0badf00d{ArtifactStore.TemporarySuffix}", Junk);
        var original = SampleDataRoot.Files(catalogue.Root);
        // A write in flight while the snapshot is taken.
        var inFlight = app.BeginTransaction();
        Execute(app, "INSERT INTO Projects (Name, Mode, Backbone, InputSize, Archived, CreatedAt) VALUES ('uncommitted', 'defect', 'resnet18', 224, 0, 0);", inFlight);
        string? lateFile = null;
        var afterSnapshot = new SyncProgress(line =>
        {
            if (!line.StartsWith("catalogue.db", StringComparison.Ordinal)) return;
            inFlight.Rollback();
            lateFile = WriteLateImageAndVerdict(catalogue, sample);
        });

        var manifest = await DataRootBackup.CreateAsync(catalogue.Root, folder.Combine("backup"), afterSnapshot);
        var outcome = await DataRootRestore.RestoreAsync(folder.Combine("backup"), folder.Combine("restored"), force: false);

        Assert.NotNull(lateFile);
        Assert.Equal(new BackupManifest.Totals(1, sample.Images.Count, 1, 1), manifest.Counts);
        Assert.Equal(["catalogue.db", "jobs.db"], manifest.Databases.Select(d => d.Path));
        Assert.Empty(manifest.Missing);
        Assert.True(outcome.Check.IsClean, outcome.Check.Summary());
        Assert.Null(outcome.MovedAside);

        // Every file comes back byte for byte, except what a backup leaves out and what was written after the snapshot.
        var restoredRoot = folder.Combine("restored");
        var expected = original.Where(f => !f.Key.StartsWith("features/") && !f.Key.StartsWith("tmp/") && !f.Key.EndsWith(".partial") && !f.Key.StartsWith("jobs.db"));
        var restored = SampleDataRoot.Files(restoredRoot).Where(f => !f.Key.StartsWith("jobs.db")).ToDictionary();
        Assert.Equal(expected.Select(f => f.Key).Order(), restored.Keys.Order());
        foreach (var (path, bytes) in expected) Assert.Equal(bytes, restored[path]);
        Assert.False(File.Exists(Path.Combine(restoredRoot, lateFile!)));
        Assert.Equal(manifest.Files.Select(f => f.Path).Order(), restored.Keys.Order());
        Assert.All(manifest.Files, f => Assert.Equal(f.Size, restored[f.Path].LongLength));

        var restoredCatalogue = new DataRootCatalogue(restoredRoot);
        await using (var db = restoredCatalogue.CreateDbContext())
        {
            Assert.Equal(["bricks"], await db.Projects.Select(p => p.Name).ToListAsync());
            Assert.Equal(sample.Images.Select(i => (i.Id, i.ContentHash, i.StoredPath, i.MaskPath, i.Label)),
                (await db.Images.OrderBy(i => i.Id).ToListAsync()).Select(i => (i.Id, i.ContentHash, i.StoredPath, i.MaskPath, i.Label)));
            var run = await db.Runs.SingleAsync();
            Assert.Equal((sample.RunId, RunStatus.Succeeded, sample.ModelPath, sample.OnnxPath), (run.Id, run.Status, run.Outcome.ModelPath, run.Outcome.OnnxPath));
            Assert.Equal(sample.Images.Count, await db.Scores.CountAsync(s => s.RunId == run.Id && s.HeatmapPath != null));
            var verdict = await db.Reviews.SingleAsync();
            Assert.Equal((sample.Defective.Id, Verdict.Defect), (verdict.ImageId, verdict.Verdict));
        }
        foreach (var image in sample.Images)
            Assert.Equal(image.ContentHash, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(restoredRoot, image.StoredPath)))));
        await using var restoredJobs = Open(Path.Combine(restoredRoot, "jobs.db"));
        Assert.Equal("train run 1", Scalar(restoredJobs, "SELECT Name FROM Job;"));
        // The source is untouched: the late writes are there, the in-flight one is not.
        await using (var db = await catalogue.Factory.CreateDbContextAsync())
        {
            Assert.Equal(sample.Images.Count + 1, await db.Images.CountAsync());
            Assert.Equal(Verdict.Normal, (await db.Reviews.SingleAsync()).Verdict);
            Assert.False(await db.Projects.AnyAsync(p => p.Name == "uncommitted"));
        }
    }

    [Fact]
    public async Task Backup_refuses_a_folder_that_is_not_empty_and_a_root_without_a_catalogue()
    {
        using var catalogue = new CatalogueFixture();
        await SampleDataRoot.CreateAsync(catalogue);
        using var folder = new TemporaryFolder();
        SampleDataRoot.Put(folder.Path, "backup/notes.txt", Junk);

        var notEmpty = await Assert.ThrowsAsync<InvalidOperationException>(() => DataRootBackup.CreateAsync(catalogue.Root, folder.Combine("backup")));
        var noCatalogue = await Assert.ThrowsAsync<InvalidOperationException>(() => DataRootBackup.CreateAsync(folder.Combine("nothing"), folder.Combine("other")));

        Assert.Contains("not empty", notEmpty.Message);
        Assert.Equal(["notes.txt"], Directory.EnumerateFileSystemEntries(folder.Combine("backup")).Select(Path.GetFileName));
        Assert.Contains("no catalogue", noCatalogue.Message);
        Assert.False(Directory.Exists(folder.Combine("other")));
    }

    [Fact]
    public async Task Restore_refuses_a_root_that_holds_a_catalogue_and_with_force_moves_it_aside()
    {
        using var source = new CatalogueFixture();
        var sample = await SampleDataRoot.CreateAsync(source);
        using var folder = new TemporaryFolder();
        await DataRootBackup.CreateAsync(source.Root, folder.Combine("backup"));
        using var occupied = new CatalogueFixture();
        await occupied.AddProjectAsync("already here");
        SampleDataRoot.Put(occupied.Root, ArtifactStore.ImagePath(1, new string('0', 64), ".png"), Junk);
        SqliteConnection.ClearAllPools();

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => DataRootRestore.RestoreAsync(folder.Combine("backup"), occupied.Root, force: false));
        await using (var db = await occupied.Factory.CreateDbContextAsync())
            Assert.Equal(["already here"], await db.Projects.Select(p => p.Name).ToListAsync());
        SqliteConnection.ClearAllPools();
        var forced = await DataRootRestore.RestoreAsync(folder.Combine("backup"), occupied.Root, force: true);

        Assert.Contains("--force", refused.Message);
        Assert.True(forced.Check.IsClean, forced.Check.Summary());
        await using (var db = new DataRootCatalogue(occupied.Root).CreateDbContext())
        {
            Assert.Equal(["bricks"], await db.Projects.Select(p => p.Name).ToListAsync());
            Assert.Equal(sample.Images.Count, await db.Images.CountAsync());
        }
        var aside = Assert.IsType<string>(forced.MovedAside);
        Assert.StartsWith(DataRootRestore.MovedAsidePrefix, Path.GetFileName(aside));
        await using (var db = new DataRootCatalogue(aside).CreateDbContext())
            Assert.Equal(["already here"], await db.Projects.Select(p => p.Name).ToListAsync());
        Assert.True(File.Exists(Path.Combine(aside, ArtifactStore.ImagePath(1, new string('0', 64), ".png"))));
    }

    [Fact]
    public async Task Restore_refuses_a_folder_that_is_not_a_whole_backup_and_copies_nothing()
    {
        using var source = new CatalogueFixture();
        var sample = await SampleDataRoot.CreateAsync(source);
        using var folder = new TemporaryFolder();
        await DataRootBackup.CreateAsync(source.Root, folder.Combine("backup"));
        Directory.CreateDirectory(folder.Combine("empty"));

        var notBackup = await Assert.ThrowsAsync<InvalidOperationException>(() => DataRootRestore.RestoreAsync(folder.Combine("empty"), folder.Combine("root"), force: false));
        await File.WriteAllBytesAsync(Path.Combine(folder.Combine("backup"), sample.OnnxPath), Junk);
        var damaged = await Assert.ThrowsAsync<InvalidDataException>(() => DataRootRestore.RestoreAsync(folder.Combine("backup"), folder.Combine("root"), force: false));
        File.Delete(Path.Combine(folder.Combine("backup"), sample.Images[0].StoredPath));
        var incomplete = await Assert.ThrowsAsync<InvalidDataException>(() => DataRootRestore.RestoreAsync(folder.Combine("backup"), folder.Combine("root"), force: false));

        Assert.Contains("not a FunAd backup", notBackup.Message);
        Assert.Contains("damaged", damaged.Message);
        Assert.Contains("incomplete", incomplete.Message);
        Assert.False(File.Exists(folder.Combine("root", "catalogue.db")));
        Assert.False(Directory.Exists(folder.Combine("root", "projects")));
    }

    [Fact]
    public async Task Restore_refuses_a_backup_whose_image_is_a_link_even_to_a_file_of_the_right_size()
    {
        using var source = new CatalogueFixture();
        var sample = await SampleDataRoot.CreateAsync(source);
        using var folder = new TemporaryFolder();
        var backup = folder.Combine("backup");
        await DataRootBackup.CreateAsync(source.Root, backup);
        // The probe's attack: the image becomes a link to a server secret the size the manifest says.
        var image = Path.Combine(backup, sample.Images[0].StoredPath);
        var secret = folder.Combine("secret.key");
        await File.WriteAllBytesAsync(secret, RandomNumberGenerator.GetBytes((int)new FileInfo(image).Length));
        File.Delete(image);
        File.CreateSymbolicLink(image, secret);

        var linked = await Assert.ThrowsAsync<InvalidDataException>(() => DataRootRestore.RestoreAsync(backup, folder.Combine("root"), force: false));

        Assert.Contains("a link to " + secret, linked.Message);
        Assert.False(File.Exists(folder.Combine("root", "catalogue.db")));

        // A folder on the way that is a link is refused too.
        File.Delete(image);
        var images = Path.GetDirectoryName(image)!;
        Directory.Move(images, folder.Combine("elsewhere"));
        File.Copy(secret, Path.Combine(folder.Combine("elsewhere"), Path.GetFileName(image)));
        Directory.CreateSymbolicLink(images, folder.Combine("elsewhere"));
        var linkedFolder = await Assert.ThrowsAsync<InvalidDataException>(() => DataRootRestore.RestoreAsync(backup, folder.Combine("root"), force: false));
        Assert.Contains("a link", linkedFolder.Message);
    }

    /// <summary>An upload saved after the snapshot (file first, then row) and a verdict changed: neither may reach the backup.</summary>
    private static string WriteLateImageAndVerdict(CatalogueFixture catalogue, SampleDataRoot sample)
    {
        using var crop = TestImages.BrickCrop(300, 300, 48);
        using var png = new MemoryStream();
        SixLabors.ImageSharp.ImageExtensions.SaveAsPng(crop, png);
        var bytes = png.ToArray();
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var path = ArtifactStore.ImagePath(sample.ProjectId, hash, ".png");
        catalogue.Store.WriteAtomically(path, bytes);
        using var db = catalogue.Factory.CreateDbContext();
        db.Images.Add(new ImageAsset { ProjectId = sample.ProjectId, ContentHash = hash, OriginalName = "late.png", StoredPath = path, SizeBytes = bytes.Length });
        db.Reviews.Single().Verdict = Verdict.Normal;
        db.SaveChanges();
        return path;
    }

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    /// <summary>Progress reported on the caller's thread, so a test can act at an exact step of the backup.</summary>
    private sealed class SyncProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
