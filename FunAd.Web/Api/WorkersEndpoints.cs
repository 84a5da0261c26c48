using FunAd.Jobs.Workers;

namespace FunAd.Web.Api;

/// <summary>/api/v1/workers: the processes that take training jobs.</summary>
public static class WorkersEndpoints
{
    public static void MapWorkersEndpoints(this RouteGroupBuilder api) =>
        api.MapGet("/workers", async (WorkerRegistry registry, CancellationToken token) =>
                (await registry.ListAsync(token: token)).Select(w => new WorkerReply(w.Node.Name, w.Node.Role, w.State, w.Node.DeviceKind, w.Node.Device,
                    w.Node.MemoryBytes, w.Node.Queues.Split(','), w.Node.JobSlots, w.Node.StartedAt, w.Node.SeenAt, w.Running.Select(r => r.RunId).ToArray())).ToList())
            .WithTags("Workers")
            .WithSummary("List the processes that take training jobs (seen in the last day): device, queues, state (alive, silent, stopped) and the runs they train now.");
}
