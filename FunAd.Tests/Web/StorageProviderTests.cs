using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Hosting;
using FunAd.Tests.Support;
using FunAd.Tests.Uploads;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace FunAd.Tests.Web;

/// <summary>The storage setting itself: what a wrong one says, and that a whole round trip runs on an empty PostgreSQL database.</summary>
public sealed class StorageSettingTests
{
    [Fact]
    public void Postgres_without_a_connection_string_stops_the_app_with_one_sentence_naming_the_setting()
    {
        using var data = new TemporaryFolder();

        var result = FunAdProcess.Run(data.Path, new Dictionary<string, string?> { ["FunAd:Storage"] = "Postgres" }, "serve");

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("funad: FunAd:Storage is Postgres but ConnectionStrings:Catalogue is not set", line);
        Assert.Contains("ConnectionStrings__Catalogue", line);
        Assert.False(File.Exists(Path.Combine(data.Path, "catalogue.db")), "nothing is created on SQLite instead");
    }

    [Fact]
    public void An_unknown_storage_is_refused_by_name()
    {
        using var data = new TemporaryFolder();

        var result = FunAdProcess.Run(data.Path, new Dictionary<string, string?> { ["FunAd:Storage"] = "Oracle" }, "serve");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("funad: FunAd:Storage is 'Oracle'; it must be Sqlite or Postgres.", result.Error.Trim());
    }

    [Fact]
    public void Sqlite_stays_the_default_and_needs_no_connection_string()
    {
        var options = CatalogueSetup.ReadOptions(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());

        var database = CatalogueDatabase.For(options, "/srv/funad");

        Assert.Equal(CatalogueProvider.Sqlite, database.Provider);
        Assert.Equal("/srv/funad/catalogue.db", database.Describe());
        Assert.IsType<CatalogueDbContext>(database.CreateFactory().CreateDbContext());
    }
}

/// <summary>
/// The app on an empty PostgreSQL database: its own migrations apply, Hangfire makes its schema, nothing
/// of SQLite appears in the data root, and a project, its images, a run and a reviewer's verdict make the
/// round trip. The maintenance verbs say what they do there.
/// </summary>
public sealed class PostgresStorageTests : IRunsOnPostgres, IAsyncLifetime
{
    private FunAdWebFactory factory = null!;
    private HttpClient client = null!;

    public async Task InitializeAsync()
    {
        factory = new FunAdWebFactory(CatalogueProvider.Postgres);
        client = await factory.SignInAsync();
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await factory.DisposeAsync();
    }

    [CatalogueFact]
    public async Task The_app_migrates_an_empty_database_and_keeps_its_queue_in_the_hangfire_schema()
    {
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            // Identity's scoped context and the factory both make the PostgreSQL type, whose migrations are its own.
            var scoped = scope.ServiceProvider.GetRequiredService<CatalogueDbContext>();
            Assert.IsType<PostgresCatalogueDbContext>(scoped);
            await using var db = await factory.Services.GetRequiredService<IDbContextFactory<CatalogueDbContext>>().CreateDbContextAsync();
            Assert.IsType<PostgresCatalogueDbContext>(db);
            Assert.True(db.Database.IsNpgsql());
            var applied = (await db.Database.GetAppliedMigrationsAsync()).ToList();
            Assert.NotEmpty(applied);
            Assert.Equal(db.Database.GetMigrations(), applied);
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            Assert.DoesNotContain(applied, m => m.EndsWith("_InitialCatalogue", StringComparison.Ordinal));
        }

        await using var connection = new NpgsqlConnection(factory.Database.ConnectionString);
        await connection.OpenAsync();
        await using var tables = new NpgsqlCommand("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'hangfire' AND table_name IN ('job', 'jobqueue', 'server')", connection);
        Assert.Equal(3L, await tables.ExecuteScalarAsync());
        Assert.False(File.Exists(Path.Combine(factory.DataRoot, "catalogue.db")));
        Assert.False(File.Exists(Path.Combine(factory.DataRoot, "jobs.db")));
    }

    [CatalogueFact]
    public async Task A_project_its_images_a_run_and_a_verdict_make_the_round_trip()
    {
        var created = await client.PostAsJsonAsync("/api/v1/projects", new { name = "on postgres" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var projectId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        using (var form = new MultipartFormDataContent())
        {
            for (var i = 0; i < 6; i++) form.Add(new ByteArrayContent(UploadTestFiles.Png(64, 64, i)), "files", $"{i}.png");
            form.Add(new ByteArrayContent(UploadTestFiles.Png(64, 64, 0)), "files", "again.png");
            var upload = await (await client.PostAsync($"/api/v1/projects/{projectId}/uploads", form)).Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(6, upload.GetProperty("accepted").GetInt32());
            Assert.Equal(1, upload.GetProperty("duplicates").GetInt32());
        }

        var started = await client.PostAsJsonAsync($"/api/v1/projects/{projectId}/runs", new
        {
            method = "funad", profile = "custom", seed = 1,
            parameters = new Dictionary<string, string> { ["epochs"] = "2", ["batchSize"] = "3", ["syntheticAnomalies"] = "false" },
        });
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var runId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var done = await client.WaitForSuccessAsync(runId);
        var scores = (await client.GetFromJsonAsync<JsonElement[]>($"/api/v1/runs/{runId}/scores"))!;
        Assert.Equal(6, scores.Length);
        var imageId = scores[0].GetProperty("imageId").GetInt64();
        (await client.PutAsJsonAsync($"/api/v1/images/{imageId}/verdict", new { verdict = "defect" })).EnsureSuccessStatusCode();

        var reviewed = (await client.GetFromJsonAsync<JsonElement[]>($"/api/v1/runs/{runId}/scores"))!;
        Assert.Equal("defect", reviewed.Single(s => s.GetProperty("imageId").GetInt64() == imageId).GetProperty("verdict").GetString());
        Assert.Equal(2, (await client.GetFromJsonAsync<JsonElement[]>($"/api/v1/runs/{runId}/epochs"))!.Length);
        // timestamptz holds instants; they come back in UTC and in order.
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<CatalogueDbContext>>().CreateDbContextAsync();
        var run = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == runId);
        Assert.All(new[] { run.CreatedAt, run.StartedAt!.Value, run.FinishedAt!.Value }, t => Assert.Equal(TimeSpan.Zero, t.Offset));
        Assert.True(run.CreatedAt <= run.StartedAt && run.StartedAt <= run.FinishedAt);
        var review = await db.Reviews.AsNoTracking().SingleAsync(r => r.ImageId == imageId);
        Assert.Equal(Verdict.Defect, review.Verdict);
        Assert.Equal(FunAdWebFactory.AdminEmail, review.By);
        Assert.Equal("succeeded", done.GetProperty("status").GetString());
    }

    [CatalogueFact]
    public async Task Another_host_stopping_in_the_same_process_does_not_lose_this_hosts_jobs()
    {
        // The host started last sets Hangfire's process-wide log provider; once it is disposed, this
        // host's queue must still hand out jobs (Hangfire.PostgreSql makes a logger per fetched job).
        await using (var other = new FunAdWebFactory())
        {
            _ = other.Server;
        }
        var projectId = (await (await client.PostAsJsonAsync("/api/v1/projects", new { name = "after another host" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        using (var form = new MultipartFormDataContent())
        {
            for (var i = 0; i < 4; i++) form.Add(new ByteArrayContent(UploadTestFiles.Png(48, 48, i)), "files", $"{i}.png");
            (await client.PostAsync($"/api/v1/projects/{projectId}/uploads", form)).EnsureSuccessStatusCode();
        }

        var started = await client.PostAsJsonAsync($"/api/v1/projects/{projectId}/runs", new { method = "patchcore" });
        var runId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();

        await client.WaitForSuccessAsync(runId, TimeSpan.FromSeconds(90));
    }

    [CatalogueFact]
    public void Backup_and_restore_refuse_with_the_reason_and_check_says_what_it_skipped()
    {
        var settings = factory.Settings.Where(s => s.Key is "FunAd:Storage" or "ConnectionStrings:Catalogue").ToDictionary();

        var backup = FunAdProcess.Run(factory.DataRoot, settings, "backup", "--out", Path.Combine(factory.DataRoot, "backup"));
        var restore = FunAdProcess.Run(factory.DataRoot, settings, "restore", "--from", Path.Combine(factory.DataRoot, "backup"));
        var check = FunAdProcess.Run(factory.DataRoot, settings, "check");

        Assert.Equal(1, backup.ExitCode);
        var reason = Assert.Single(backup.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("funad: funad backup copies SQLite catalogues and FunAd__Storage is Postgres", reason);
        Assert.Contains("pg_dump", reason);
        Assert.False(Directory.Exists(Path.Combine(factory.DataRoot, "backup")));
        Assert.Equal(1, restore.ExitCode);
        Assert.Contains("pg_restore", restore.Error);
        Assert.True(check.ExitCode == 0, check.Output + check.Error);
        Assert.Contains("catalogue   not checked: PostgreSQL has no equivalent", check.Output);
        Assert.Contains("result       clean", check.Output);
    }
}
