using System.Net;
using System.Text.RegularExpressions;
using FunAd.Jobs.Hosting;
using FunAd.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace FunAd.Tests.Web;

/// <summary>
/// The whole app in memory (WebApplicationFactory: the real middleware, auth, endpoints and Hangfire)
/// over a real catalogue (SQLite in a temporary data root by default, or a fresh PostgreSQL database:
/// see <see cref="TestDatabase"/>), with an admin made at start-up.
/// </summary>
public sealed class FunAdWebFactory : WebApplicationFactory<Program>
{
    public const string AdminEmail = "admin@funad.test";
    public const string AdminPassword = "admin-pass-1";

    private readonly TemporaryFolder data = new();
    private readonly TestDatabase database;

    public FunAdWebFactory(CatalogueProvider provider = CatalogueProvider.Sqlite)
    {
        database = TestDatabase.Create(provider, data.Path);
        foreach (var (key, value) in database.HostSettings) Settings[key] = value;
    }

    public string DataRoot => data.Path;

    public CatalogueProvider Provider => database.Provider;

    /// <summary>The catalogue database the host is given.</summary>
    public CatalogueDatabase Database => database.Database;

    /// <summary>Settings for this host; by default an admin exists. Set before the first client is made.</summary>
    public Dictionary<string, string?> Settings { get; } = new()
    {
        ["FUNAD_ADMIN_EMAIL"] = AdminEmail,
        ["FUNAD_ADMIN_PASSWORD"] = AdminPassword,
    };

    /// <summary>Replaces services of the host (a fake clock, for instance). Set before the first client is made.</summary>
    public Action<IServiceCollection>? TestServices { get; set; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("FunAd:DataRoot", data.Path);
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
        if (TestServices is { } configure) builder.ConfigureTestServices(configure);
    }

    /// <summary>A client that keeps cookies and does not follow redirects (tests look at them).</summary>
    public HttpClient Anonymous() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Signs in through the real form (antiforgery token and all) and returns the cookie-carrying client.</summary>
    public async Task<HttpClient> SignInAsync(string email = AdminEmail, string password = AdminPassword)
    {
        var client = Anonymous();
        var response = await PostLoginAsync(client, email, password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.DoesNotContain("error=", response.Headers.Location!.ToString());
        return client;
    }

    public static async Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string email, string password, string returnUrl = "/")
    {
        var page = await client.GetStringAsync("/login");
        var token = Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        return await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = email, ["password"] = password, ["returnUrl"] = returnUrl, ["__RequestVerificationToken"] = token,
        }));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        database.Dispose();
        data.Dispose();
    }
}
