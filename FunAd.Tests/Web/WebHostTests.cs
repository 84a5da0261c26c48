using System.Net;
using System.Text.Json;
using FunAd.Tests.Support;
using FunAd.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace FunAd.Tests.Web;

/// <summary>The real host (Kestrel on a free loopback port), built as the application builds it.</summary>
public sealed class RunningHost : IAsyncDisposable
{
    private readonly TemporaryFolder data;

    private RunningHost(WebApplication app, HttpClient client, TemporaryFolder data)
    {
        App = app;
        Client = client;
        this.data = data;
    }

    public string DataRoot => data.Path;

    public WebApplication App { get; }

    public HttpClient Client { get; }

    public EngineStatus Status => App.Services.GetRequiredService<EngineStatus>();

    /// <summary>Starts the app on a fresh data root with the test admin (FunAdWebFactory's credentials).</summary>
    public static Task<RunningHost> StartAsync(params string[] extraArgs) => StartAsync(new TemporaryFolder(), extraArgs);

    /// <summary>Starts the app on the given data root (a restart when another host used it before); the host owns the folder.</summary>
    public static async Task<RunningHost> StartAsync(TemporaryFolder data, params string[] extraArgs)
    {
        var app = WebApp.Build(["--urls", "http://127.0.0.1:0", $"--FunAd:DataRoot={data.Path}",
            $"--FUNAD_ADMIN_EMAIL={FunAdWebFactory.AdminEmail}", $"--FUNAD_ADMIN_PASSWORD={FunAdWebFactory.AdminPassword}", .. extraArgs]);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var handler = new HttpClientHandler { CookieContainer = new System.Net.CookieContainer(), AllowAutoRedirect = false };
        return new RunningHost(app, new HttpClient(handler) { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) }, data);
    }

    public string Address => Client.BaseAddress!.ToString().TrimEnd('/');

    /// <summary>Signs the client in as the test admin.</summary>
    public async Task SignInAsync()
    {
        var response = await FunAdWebFactory.PostLoginAsync(Client, FunAdWebFactory.AdminEmail, FunAdWebFactory.AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (!KeepData) data.Dispose();
    }

    /// <summary>Leave the data root when stopping, for a restart on it.</summary>
    public bool KeepData { get; set; }

    public TemporaryFolder DataFolder => data;
}

public sealed class WebHostFixture : IAsyncLifetime
{
    public RunningHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = await RunningHost.StartAsync();
        await Host.SignInAsync();
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

public sealed class WebHostTests(WebHostFixture fixture) : IClassFixture<WebHostFixture>
{
    private HttpClient Client => fixture.Host.Client;

    [Fact]
    public async Task Home_page_is_served_and_shows_the_engine_once_resolved()
    {
        await fixture.Host.Status.WhenResolvedAsync();
        Assert.True(fixture.Host.Status.Ready, fixture.Host.Status.Error);

        var response = await Client.GetAsync("/");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("FunAd", html);
        Assert.Contains("Engine ready", html);
        Assert.Contains(fixture.Host.Status.DeviceDescription, html);
        Assert.Contains("_framework/blazor.web", html);
        Assert.Contains("_content/MudBlazor/MudBlazor.min", html);
    }

    [Fact]
    public async Task Responses_do_not_name_the_server_and_pages_hold_no_inline_script_the_policy_blocks()
    {
        var response = await Client.GetAsync("/login");
        var html = await response.Content.ReadAsStringAsync();

        Assert.False(response.Headers.Contains("Server"), $"Server: {string.Join(",", response.Headers.TryGetValues("Server", out var v) ? v : [])}");
        // script-src 'self' blocks every inline script (Blazor's import map was one: a console error on every page).
        Assert.DoesNotMatch("<script(?![^>]*\\bsrc=)[^>]*>", html);
    }

    [Fact]
    public async Task Health_reports_each_check_and_the_device()
    {
        await fixture.Host.Status.WhenResolvedAsync();

        var response = await Client.GetAsync("/health");
        using var health = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(health.RootElement.GetProperty("status").GetString(), new[] { "healthy", "degraded" });
        Assert.Equal(fixture.Host.Status.DeviceDescription, health.RootElement.GetProperty("device").GetString());
        Assert.True(health.RootElement.GetProperty("engineReady").GetBoolean());
        var checks = health.RootElement.GetProperty("checks");
        Assert.Equal(["catalogue", "dataRoot", "engine", "jobs"], checks.EnumerateObject().Select(c => c.Name).Order());
        Assert.Equal("healthy", checks.GetProperty("engine").GetProperty("status").GetString());
        Assert.Equal("healthy", checks.GetProperty("catalogue").GetProperty("status").GetString());
        Assert.Equal("healthy", checks.GetProperty("jobs").GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("/_content/MudBlazor/MudBlazor.min.css", "text/css")]
    [InlineData("/_content/MudBlazor/MudBlazor.min.js", "text/javascript")]
    [InlineData("/_framework/blazor.web.js", "text/javascript")]
    [InlineData("/app.css", "text/css")]
    public async Task Static_assets_are_served(string path, string contentType)
    {
        var response = await Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 100);
    }

    [Fact]
    public async Task An_unknown_address_is_404()
    {
        var response = await Client.GetAsync("/no-such-page");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}

public sealed class WebHostWithABadDeviceTests
{
    [Fact]
    public async Task A_device_that_cannot_be_resolved_leaves_the_host_up_and_shows_the_error()
    {
        await using var host = await RunningHost.StartAsync("--FunAd:Device=quantum");
        await host.Status.WhenResolvedAsync();
        await host.SignInAsync();

        var response = await host.Client.GetAsync("/health");
        using var health = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var html = await host.Client.GetStringAsync("/");

        // The host stays up (its pages say why), but health fails: nothing can train or score.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("unhealthy", health.RootElement.GetProperty("status").GetString());
        Assert.False(health.RootElement.GetProperty("engineReady").GetBoolean());
        Assert.Contains("Unknown device 'quantum'", health.RootElement.GetProperty("error").GetString());
        var engine = health.RootElement.GetProperty("checks").GetProperty("engine");
        Assert.Equal("unhealthy", engine.GetProperty("status").GetString());
        Assert.Contains("Unknown device 'quantum'", engine.GetProperty("description").GetString());
        Assert.Contains("Engine unavailable", html);
        Assert.Contains("Unknown device", html);
    }

    [Fact]
    public async Task Health_fails_while_the_data_root_cannot_be_written_and_recovers_after()
    {
        await using var host = await RunningHost.StartAsync();
        await host.Status.WhenResolvedAsync();
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/health")).StatusCode);

        // A file where the data root's folder was: nothing can be written there, not even by root.
        var moved = host.DataRoot + ".moved";
        Directory.Move(host.DataRoot, moved);
        File.WriteAllText(host.DataRoot, "not a folder");
        try
        {
            var response = await host.Client.GetAsync("/health");
            using var health = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            var dataRoot = health.RootElement.GetProperty("checks").GetProperty("dataRoot");
            Assert.Equal("unhealthy", dataRoot.GetProperty("status").GetString());
            Assert.Contains("cannot be written", dataRoot.GetProperty("description").GetString());
        }
        finally
        {
            File.Delete(host.DataRoot);
            Directory.Move(moved, host.DataRoot);
        }
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/health")).StatusCode);
    }
}
