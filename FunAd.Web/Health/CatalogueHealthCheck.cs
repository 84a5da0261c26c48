using FunAd.Jobs.Catalogue;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FunAd.Web.Health;

/// <summary>The project catalogue (SQLite file or PostgreSQL server) answers a query.</summary>
public sealed class CatalogueHealthCheck(IDbContextFactory<CatalogueDbContext> factory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            var projects = await db.Projects.CountAsync(cancellationToken);
            return HealthCheckResult.Healthy($"{(db.Database.IsSqlite() ? "SQLite" : "PostgreSQL")}, {projects} project(s)");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"The catalogue does not answer: {e.GetBaseException().Message}");
        }
    }
}
