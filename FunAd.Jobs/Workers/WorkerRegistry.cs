using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FunAd.Jobs.Workers;

/// <summary>A worker as the workers page shows it: its last report, whether it is alive, and the runs it has now.</summary>
public sealed record WorkerView(WorkerNode Node, string State, IReadOnlyList<RunOnWorker> Running);

public sealed record RunOnWorker(int RunId, int ProjectId, string ProjectName, string Phase, double Progress);

/// <summary>
/// Where job-taking processes report themselves (every few seconds) and where the app reads them: the
/// workers page, and the choice of queue for a new run.
/// </summary>
public sealed class WorkerRegistry(IDbContextFactory<CatalogueDbContext> factory, IOptions<RecoveryTimings> timings, TimeProvider time)
{
    /// <summary>A worker not seen for this long is shown as silent and no longer counts as available.</summary>
    public TimeSpan SilentAfter => timings.Value.SilentAfter;

    /// <summary>The name a process goes by, in the registry and in a run's <see cref="TrainingRun.Worker"/>.</summary>
    public static string ThisProcess => $"{Environment.MachineName}:{Environment.ProcessId}";

    public async Task ReportAsync(WorkerNode report, CancellationToken token = default)
    {
        await using var db = await factory.CreateDbContextAsync(token);
        var node = await db.Workers.SingleOrDefaultAsync(w => w.Name == report.Name, token);
        if (node is null)
        {
            db.Workers.Add(report);
        }
        else
        {
            db.Entry(node).CurrentValues.SetValues(report);
        }
        await db.SaveChangesAsync(token);
    }

    public async Task MarkStoppedAsync(string name, CancellationToken token = default)
    {
        await using var db = await factory.CreateDbContextAsync(token);
        var now = time.GetUtcNow();
        await db.Workers.Where(w => w.Name == name).ExecuteUpdateAsync(u => u.SetProperty(w => w.StoppedAt, now).SetProperty(w => w.SeenAt, now), token);
    }

    /// <summary>Every worker seen in the last <paramref name="within"/> (default a day), alive ones first.</summary>
    public async Task<IReadOnlyList<WorkerView>> ListAsync(TimeSpan? within = null, CancellationToken token = default)
    {
        await using var db = await factory.CreateDbContextAsync(token);
        var since = time.GetUtcNow() - (within ?? TimeSpan.FromDays(1));
        var nodes = (await db.Workers.AsNoTracking().ToListAsync(token)).Where(w => w.SeenAt >= since).ToList();
        var running = await db.Runs.AsNoTracking().Where(r => r.Status == RunStatus.Running && r.Worker != null)
            .Select(r => new { r.Id, r.ProjectId, ProjectName = r.Project!.Name, r.Progress.Phase, Progress = r.Progress.Fraction, r.Worker }).ToListAsync(token);
        return nodes
            .Select(n => new WorkerView(n, StateOf(n),
                running.Where(r => r.Worker == n.Name).Select(r => new RunOnWorker(r.Id, r.ProjectId, r.ProjectName, r.Phase, r.Progress)).ToList()))
            .OrderBy(v => v.State == WorkerStates.Alive ? 0 : 1).ThenBy(v => v.Node.Role).ThenBy(v => v.Node.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>One of <see cref="WorkerStates"/>.</summary>
    public string StateOf(WorkerNode node) =>
        node.StoppedAt is not null ? WorkerStates.Stopped : node.SeenAt >= time.GetUtcNow() - SilentAfter ? WorkerStates.Alive : WorkerStates.Silent;

    /// <summary>
    /// The queue for a new run: <paramref name="configured"/> when set; otherwise <c>gpu</c> while some
    /// live process with a GPU listens to it, else <c>cpu</c>, which every process takes.
    /// </summary>
    public async Task<string> ChooseQueueAsync(string? configured, CancellationToken token = default)
    {
        if (!string.IsNullOrWhiteSpace(configured)) return configured.Trim().ToLowerInvariant();
        await using var db = await factory.CreateDbContextAsync(token);
        var gpuWorkers = (await db.Workers.AsNoTracking().Where(w => w.DeviceKind == "cuda" && w.StoppedAt == null).ToListAsync(token))
            .Where(w => StateOf(w) == WorkerStates.Alive && w.Queues.Split(',').Contains(JobQueues.Gpu));
        return gpuWorkers.Any() ? JobQueues.Gpu : JobQueues.Cpu;
    }
}
