using System.Net;
using System.Net.Http.Json;
using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Hosting;
using FunAd.Tests.Support;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FunAd.Tests.Web.Api;

/// <summary>Every route the app maps refuses a caller without credentials, and a Viewer cannot change anything.</summary>
public abstract class AccessControlTests(CatalogueProvider provider) : IAsyncLifetime
{
    public sealed class OnSqlite() : AccessControlTests(CatalogueProvider.Sqlite);
    public sealed class OnPostgres() : AccessControlTests(CatalogueProvider.Postgres), IRunsOnPostgres;

    private readonly FunAdWebFactory factory = new(provider);

    /// <summary>The only routes anyone may reach: signing in, the one-time set-up, health and static assets.</summary>
    private static readonly string[] Public = ["/login", "/setup", "/account/login", "/health"];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await factory.DisposeAsync();

    private IReadOnlyList<(string Method, string Path)> AllRoutes()
    {
        _ = factory.Server;
        var sources = factory.Services.GetRequiredService<IEnumerable<EndpointDataSource>>();
        var routes = new List<(string, string)>();
        foreach (var endpoint in sources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>())
        {
            // A group's own route ("" under "/projects") reads "/api/v1/projects/": the same address without the slash.
            var pattern = "/" + (endpoint.RoutePattern.RawText ?? "").Trim('/');
            // Framework and package assets are public by design (styles and scripts of the sign-in page);
            // the Blazor hub (/_blazor) is not an asset and is probed like everything else.
            if (pattern.StartsWith("/_framework") || pattern.StartsWith("/_content") || pattern.Contains("{**") && !pattern.StartsWith("/hangfire")) continue;
            var path = System.Text.RegularExpressions.Regex.Replace(pattern, @"\{[^}]+\}", "1");
            var methods = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IHttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            foreach (var method in methods) routes.Add((method, path));
        }
        return routes.Distinct().ToList();
    }

    [CatalogueFact]
    public async Task Without_credentials_every_route_but_sign_in_is_refused()
    {
        var routes = AllRoutes();
        Assert.Contains(routes, r => r.Path == "/api/v1/projects");
        Assert.Contains(routes, r => r.Path.StartsWith("/hangfire"));
        Assert.Contains(routes, r => r.Path.StartsWith("/_blazor"));
        using var client = factory.Anonymous();
        var open = new List<string>();
        foreach (var (method, path) in routes.Where(r => !Public.Contains(r.Path)))
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method is "POST" or "PATCH" or "PUT") request.Content = JsonContent.Create(new { });
            using var response = await client.SendAsync(request);
            var refused = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
                || response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.ToString().Contains("/login")
                // Form posts are refused by antiforgery before anything else.
                || response.StatusCode == HttpStatusCode.BadRequest && method == "POST" && !path.StartsWith("/api");
            if (!refused) open.Add($"{method} {path} -> {(int)response.StatusCode}");
        }
        Assert.Empty(open);
    }

    [CatalogueFact]
    public async Task Api_callers_get_status_codes_and_pages_redirect_to_sign_in()
    {
        using var client = factory.Anonymous();

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/projects")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/files/images/1")).StatusCode);
        var page = await client.GetAsync("/projects");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/login", page.Headers.Location!.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/login")).StatusCode);
    }

    [CatalogueFact]
    public async Task A_viewer_reads_but_cannot_change_anything_or_see_admin_pages()
    {
        using var admin = await factory.SignInAsync();
        (await admin.PostAsJsonAsync("/api/v1/projects", new { name = "p", mode = "defect" })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/v1/users", new { email = "viewer@funad.test", password = "viewer-pass-1", role = "Viewer" })).EnsureSuccessStatusCode();
        using var viewer = await factory.SignInAsync("viewer@funad.test", "viewer-pass-1");

        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/v1/projects")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/v1/projects/1/runs")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/projects")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync("/api/v1/projects", new { name = "q" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PatchAsJsonAsync("/api/v1/projects/1", new { archived = true })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync("/api/v1/projects/1/runs", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync("/api/v1/runs/1/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PatchAsJsonAsync("/api/v1/images/1", new { leftOutOfTraining = true })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.DeleteAsync("/api/v1/images/1")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync("/api/v1/users")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync("/api/v1/api-keys")).StatusCode);
        foreach (var adminOnly in new[] { "/admin", "/hangfire" })
        {
            var page = await viewer.GetAsync(adminOnly);
            Assert.True(page.StatusCode == HttpStatusCode.Redirect && page.Headers.Location!.ToString().Contains("/denied"), $"{adminOnly}: {page.StatusCode}");
        }
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/hangfire")).StatusCode);
    }

    [CatalogueFact]
    public async Task Api_keys_authenticate_with_their_role_are_stored_hashed_and_stop_working_when_revoked()
    {
        using var admin = await factory.SignInAsync();
        var created = await (await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "line 3", role = "Editor" })).Content.ReadFromJsonAsync<CreatedKey>();
        using var script = factory.Anonymous();
        script.DefaultRequestHeaders.Add("X-Api-Key", created!.Key);

        Assert.Equal(HttpStatusCode.Created, (await script.PostAsJsonAsync("/api/v1/projects", new { name = "from a script" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await script.GetAsync("/api/v1/api-keys")).StatusCode);
        // The key's row holds its SHA-256, never the key; on SQLite nothing in the whole file holds it either.
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<CatalogueDbContext>>().CreateDbContextAsync())
        {
            var row = await db.ApiKeys.AsNoTracking().SingleAsync(k => k.Id == created.Id);
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(created.Key))), row.Hash.ToLowerInvariant());
            Assert.DoesNotContain(created.Key, System.Text.Json.JsonSerializer.Serialize(row));
        }
        if (provider == CatalogueProvider.Sqlite)
        {
            var catalogue = await File.ReadAllBytesAsync(Path.Combine(factory.DataRoot, "catalogue.db"));
            Assert.Equal(-1, IndexOf(catalogue, System.Text.Encoding.UTF8.GetBytes(created.Key)));
        }

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/api-keys/{created.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await script.GetAsync("/api/v1/projects")).StatusCode);
        using var forged = factory.Anonymous();
        forged.DefaultRequestHeaders.Add("X-Api-Key", created.Key[..^2] + "xx");
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync("/api/v1/projects")).StatusCode);
    }

    [CatalogueFact]
    public async Task Cookie_writes_from_another_sites_page_are_refused()
    {
        using var admin = await factory.SignInAsync();
        async Task<HttpStatusCode> CreateFrom(string? origin, string? fetchSite = null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/projects") { Content = JsonContent.Create(new { name = $"p{Guid.NewGuid():N}" }) };
            if (origin is not null) request.Headers.Add("Origin", origin);
            if (fetchSite is not null) request.Headers.Add("Sec-Fetch-Site", fetchSite);
            return (await admin.SendAsync(request)).StatusCode;
        }

        Assert.Equal(HttpStatusCode.Forbidden, await CreateFrom("https://evil.example"));
        Assert.Equal(HttpStatusCode.Forbidden, await CreateFrom("http://localhost.evil.example"));
        Assert.Equal(HttpStatusCode.Forbidden, await CreateFrom(null, "same-site"));
        Assert.Equal(HttpStatusCode.Created, await CreateFrom("http://localhost", "same-origin"));
        Assert.Equal(HttpStatusCode.Created, await CreateFrom(null));
        Assert.Equal(2, (await admin.GetFromJsonAsync<System.Text.Json.JsonElement[]>("/api/v1/projects"))!.Length);
    }

    [CatalogueFact]
    public async Task Forms_refuse_posts_without_their_antiforgery_token()
    {
        using var client = factory.Anonymous();

        var login = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = FunAdWebFactory.AdminEmail, ["password"] = FunAdWebFactory.AdminPassword,
        }));

        Assert.NotEqual(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/projects")).StatusCode);
    }

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);

    private sealed record CreatedKey(int Id, string Name, string Role, string Key);
}
