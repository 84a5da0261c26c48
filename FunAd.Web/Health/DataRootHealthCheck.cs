using FunAd.Jobs.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FunAd.Web.Health;

/// <summary>The data root can be written (a probe file written and removed) and has room: uploads and runs write there.</summary>
public sealed class DataRootHealthCheck(ArtifactStore store) : IHealthCheck
{
    /// <summary>Below this much free space the root is reported degraded: an upload or a run may fail soon.</summary>
    public const long LowSpaceBytes = 1L << 30;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            DataRootProbe.EnsureWritable(store.Root);
        }
        catch (InvalidOperationException e)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy(e.Message));
        }
        var free = new DriveInfo(store.Root).AvailableFreeSpace;
        var description = $"{store.Root}, {free / (1024.0 * 1024 * 1024):F1} GiB free";
        return Task.FromResult(free < LowSpaceBytes ? HealthCheckResult.Degraded(description) : HealthCheckResult.Healthy(description));
    }
}
