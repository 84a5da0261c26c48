using System.Text.Json;
using FunAd.Web.Hosting;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FunAd.Web.Health;

/// <summary>
/// /health: ASP.NET Core health checks of the engine, the catalogue, the job storage and the data
/// root. 200 while every one is healthy or degraded (the engine still loading, little disk space),
/// 503 when one fails; the JSON names each check's state and why.
/// </summary>
public static class HealthEndpoint
{
    public static IServiceCollection AddFunAdHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<EngineHealthCheck>("engine")
            .AddCheck<CatalogueHealthCheck>("catalogue")
            .AddCheck<JobStorageHealthCheck>("jobs")
            .AddCheck<DataRootHealthCheck>("dataRoot");
        return services;
    }

    public static void MapFunAdHealth(this IEndpointRouteBuilder app) =>
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteAsync }).AllowAnonymous();

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var engine = context.RequestServices.GetRequiredService<EngineStatus>();
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = Word(report.Status),
            device = engine.Ready ? engine.DeviceDescription : engine.IsResolved ? "unavailable" : "resolving",
            engineReady = engine.Ready,
            error = engine.Error,
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = Word(e.Value.Status), description = e.Value.Description }),
        }, JsonSerializerOptions.Web));
    }

    private static string Word(HealthStatus status) => status.ToString().ToLowerInvariant();
}
