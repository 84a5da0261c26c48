using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FunAd.Jobs.Hosting;
using FunAd.Tests.Support;
using FunAd.Tests.Uploads;

namespace FunAd.Tests.Web.Api;

public abstract class AuditAndHeadersTests(CatalogueProvider provider) : IAsyncLifetime
{
    public sealed class OnSqlite() : AuditAndHeadersTests(CatalogueProvider.Sqlite);
    public sealed class OnPostgres() : AuditAndHeadersTests(CatalogueProvider.Postgres), IRunsOnPostgres;

    private readonly FunAdWebFactory factory = new(provider);
    private HttpClient admin = null!;

    public async Task InitializeAsync() => admin = await factory.SignInAsync();

    public async Task DisposeAsync()
    {
        admin.Dispose();
        await factory.DisposeAsync();
    }

    [CatalogueFact]
    public async Task Pages_and_the_api_send_security_headers_and_cookies_are_http_only()
    {
        using var anonymous = factory.Anonymous();
        var page = await anonymous.GetAsync("/login");
        var api = await anonymous.GetAsync("/api/v1/projects");

        foreach (var response in new[] { page, api })
        {
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
        }
        var policy = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self';", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
        var login = await FunAdWebFactory.PostLoginAsync(factory.Anonymous(), FunAdWebFactory.AdminEmail, FunAdWebFactory.AdminPassword);
        var cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("funad.auth="));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [CatalogueFact]
    public async Task The_audit_log_records_who_did_what_and_only_admins_read_it()
    {
        await FunAdWebFactory.PostLoginAsync(factory.Anonymous(), FunAdWebFactory.AdminEmail, "wrong-password-1");
        var project = await (await admin.PostAsJsonAsync("/api/v1/projects", new { name = "audited" })).Content.ReadFromJsonAsync<JsonElement>();
        var id = project.GetProperty("id").GetInt32();
        using (var form = new MultipartFormDataContent { { new ByteArrayContent(UploadTestFiles.Png(32, 32)), "files", "a.png" } })
            (await admin.PostAsync($"/api/v1/projects/{id}/uploads", form)).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync("/api/v1/images/1/verdict", new { verdict = "defect" })).EnsureSuccessStatusCode();
        var key = await (await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "line", role = "Viewer" })).Content.ReadFromJsonAsync<JsonElement>();
        (await admin.DeleteAsync($"/api/v1/api-keys/{key.GetProperty("id").GetInt32()}")).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/v1/users", new { email = "v@funad.test", password = "viewer-pass-1", role = "Viewer" })).EnsureSuccessStatusCode();

        var entries = await admin.GetFromJsonAsync<JsonElement[]>("/api/v1/audit");
        string Row(JsonElement e) => $"{e.GetProperty("actor").GetString()}|{e.GetProperty("action").GetString()}|{e.GetProperty("target").GetString()}";
        var rows = entries!.Select(Row).ToList();
        var me = FunAdWebFactory.AdminEmail;
        Assert.Contains($"{me}|sign-in|", rows);
        Assert.Contains($"{me}|sign-in failed|", rows);
        Assert.Contains($"{me}|project created|project {id}", rows);
        Assert.Contains($"{me}|upload|project {id}", rows);
        Assert.Contains($"{me}|verdict|image 1", rows);
        Assert.Contains($"{me}|api key created|api key 1", rows);
        Assert.Contains($"{me}|api key revoked|api key 1", rows);
        Assert.Contains($"{me}|user created|v@funad.test", rows);
        Assert.Contains("1 accepted", entries!.First(e => e.GetProperty("action").GetString() == "upload").GetProperty("detail").GetString());
        Assert.True(entries!.Select(e => e.GetProperty("id").GetInt64()).SequenceEqual(entries!.Select(e => e.GetProperty("id").GetInt64()).OrderDescending()));

        using var viewer = await factory.SignInAsync("v@funad.test", "viewer-pass-1");
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync("/api/v1/audit")).StatusCode);
    }

    [CatalogueFact]
    public async Task Anonymous_sign_in_posts_cannot_flood_the_audit_log()
    {
        using var client = factory.Anonymous();
        // A long e-mail with CR/LF: the entry is one bounded line.
        var forged = "x@funad.test\r\n2026-01-01 admin@funad.test deleted everything" + new string('a', 3000);
        await FunAdWebFactory.PostLoginAsync(client, forged, "wrong-password-1");
        // A 1 MB e-mail is not even read.
        var huge = await FunAdWebFactory.PostLoginAsync(client, new string('b', 1 << 20) + "@funad.test", "wrong-password-1");
        Assert.True(huge.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge, $"got {huge.StatusCode}");

        var entries = await admin.GetFromJsonAsync<JsonElement[]>("/api/v1/audit?action=sign-in failed");
        var actors = entries!.Select(e => e.GetProperty("actor").GetString()!).ToList();
        Assert.Single(actors);
        Assert.True(actors[0].Length <= 256, $"actor of {actors[0].Length} characters");
        Assert.StartsWith("x@funad.test", actors[0]);
        Assert.DoesNotContain(actors[0], char.IsControl);
    }
}
