using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FunAd.Web.Health;

/// <summary>Hangfire's job storage answers: without it no run can be queued or taken.</summary>
public sealed class JobStorageHealthCheck(JobStorage storage) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var statistics = storage.GetMonitoringApi().GetStatistics();
            return Task.FromResult(HealthCheckResult.Healthy($"{statistics.Servers} job server(s), {statistics.Enqueued} job(s) waiting"));
        }
        catch (Exception e)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"The job storage does not answer: {e.GetBaseException().Message}"));
        }
    }
}
