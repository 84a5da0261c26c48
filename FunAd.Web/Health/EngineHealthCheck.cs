using FunAd.Web.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FunAd.Web.Health;

/// <summary>The compute engine: healthy once a device is resolved, degraded while it loads, unhealthy when it could not load (nothing can train or score).</summary>
public sealed class EngineHealthCheck(EngineStatus status) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(status.Ready ? HealthCheckResult.Healthy(status.DeviceDescription)
            : status.IsResolved ? HealthCheckResult.Unhealthy($"The compute engine is unavailable: {status.Error}")
            : HealthCheckResult.Degraded("The compute engine is still loading."));
}
