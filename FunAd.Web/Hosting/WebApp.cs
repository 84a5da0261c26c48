using FunAd.Jobs.Hosting;
using FunAd.Jobs.Storage;
using FunAd.Web.Api;
using FunAd.Web.Components;
using FunAd.Web.Health;
using FunAd.Web.Security;
using MudBlazor.Services;

namespace FunAd.Web.Hosting;

/// <summary>The FunAd web host: Blazor (interactive server) with MudBlazor, sign-in, the HTTP API, Hangfire, and a health endpoint.</summary>
public static class WebApp
{
    /// <summary>
    /// Builds the host. appsettings.json and wwwroot/ are read beside the assembly (the build and
    /// publish copy them there from the repository root), whatever the working directory.
    /// </summary>
    /// <param name="probeDataRoot">Check the data root can be written and the catalogue's database named and reachable before any service opens them (the real app; test hosts pass their settings later).</param>
    public static WebApplication Build(string[] args, bool probeDataRoot = false)
    {
        var baseDirectory = AppContext.BaseDirectory;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // The entry assembly is not this one under a test host; static web asset manifests are named after it.
            ApplicationName = typeof(WebApp).Assembly.GetName().Name,
            ContentRootPath = baseDirectory,
            WebRootPath = Path.Combine(baseDirectory, "wwwroot"),
        });

        // Outside Development the host does not read the build's static web assets manifest by itself;
        // after `dotnet run` that manifest is what serves _content/MudBlazor and _framework. After
        // `dotnet publish` there is no such manifest (the files are in wwwroot) and this does nothing.
        builder.WebHost.UseStaticWebAssets();
        // Run from build output, MapStaticAssets warns about every file it does not know, which is
        // every file of our wwwroot (copied beside the assembly and served by UseStaticFiles, by design).
        builder.Logging.AddFilter("Microsoft.AspNetCore.Builder.StaticAssetDevelopmentRuntimeHandler", LogLevel.Error);

        // Responses do not advertise the server software.
        builder.WebHost.ConfigureKestrel(o => o.AddServerHeader = false);
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.Services.AddSingleton(sp => EngineStatus.FromConfiguration(
            sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<ILogger<EngineStatus>>()));
        builder.Services.AddHostedService<EngineStatusStarter>();

        if (probeDataRoot)
        {
            // One sentence for what stops the app before it starts: a data root it cannot write, a
            // storage setting without its database, a PostgreSQL server that does not answer.
            var catalogue = CatalogueSetup.ReadOptions(builder.Configuration);
            DataRootProbe.EnsureWritable(catalogue.DataRoot);
            CatalogueDatabase.For(catalogue, catalogue.DataRoot).EnsureReachable();
        }
        builder.Services.AddFunAdCatalogue();
        builder.Services.AddFunAdSecurity();
        builder.Services.AddFunAdJobs();
        builder.Services.AddFunAdHealthChecks();
        builder.Services.AddOpenApi("v1");
        // Enums (labels, statuses) travel as lower-case words, not numbers.
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(
            new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase)));
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ApiProblems.Complete);
        builder.Services.AddExceptionHandler<ApiExceptionHandler>();
        // Unreadable requests (malformed JSON...) throw in every environment, so ApiExceptionHandler
        // answers them with the reason in the API's error shape instead of an empty 400.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);

        var app = builder.Build();

        // The API and files answer every error as a problem (ApiProblems): what a handler throws through the
        // exception handler, and bare statuses (401, 403, 404, 429) through the status code pages. People get pages.
        app.UseWhen(context => SecuritySetup.IsApi(context.Request), branch =>
        {
            branch.UseExceptionHandler();
            branch.UseStatusCodePages();
        });
        if (!app.Environment.IsDevelopment())
            app.UseWhen(context => !SecuritySetup.IsApi(context.Request), branch => branch.UseExceptionHandler(new ExceptionHandlerOptions
            {
                ExceptionHandlingPath = "/error",
                CreateScopeForErrors = true,
                // A form the server cannot read is the client's error (400), not the server's.
                StatusCodeSelector = e => e is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
            }));
        // Pages get a "not found" page; the API, files and job dashboard keep their bare status codes (401, 403, 404).
        app.UseWhen(context => !SecuritySetup.IsApi(context.Request) && !context.Request.Path.StartsWithSegments("/hangfire"),
            branch => branch.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));

        // Behind a TLS-terminating proxy (FunAd:BehindProxy=true) the scheme and client address come
        // from X-Forwarded-*, so cookies are marked Secure and rate limits see real addresses; only
        // from the proxies trusted (TrustedProxies), never from any client.
        if (app.Configuration.GetValue("FunAd:BehindProxy", false))
            app.UseForwardedHeaders(TrustedProxies.Options(app.Configuration));
        app.UseMiddleware<SecurityHeaders>();
        app.UseMiddleware<SameOriginWrites>();
        if (!app.Environment.IsDevelopment()) app.UseHsts();
        app.UseStaticFiles();
        app.UseRouting();
        app.UseMiddleware<SetupGate>();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapStaticAssets().AllowAnonymous();
        app.MapFunAdHealth();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapAccountEndpoints();
        app.MapFunAdApi();
        app.MapJobsDashboard();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

        return app;
    }

    /// <summary>Builds and runs the host until it is stopped; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        WebApplication app;
        try
        {
            app = Build(args, probeDataRoot: true);
        }
        catch (InvalidOperationException e)
        {
            await Console.Error.WriteLineAsync($"funad: {e.Message}");
            return 1;
        }
        await using (app)
        {
            await app.RunAsync();
        }
        return 0;
    }
}
