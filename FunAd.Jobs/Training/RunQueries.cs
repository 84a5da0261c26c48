using FunAd.Jobs.Catalogue;
using Microsoft.EntityFrameworkCore;

namespace FunAd.Jobs.Training;

/// <summary>How a run is read, by the run's page, its printed report and the API alike: the run, its epochs, its log.</summary>
public sealed class RunQueries(IDbContextFactory<CatalogueDbContext> factory)
{
    /// <summary>The run with its project, or null.</summary>
    public async Task<TrainingRun?> GetAsync(int runId, CancellationToken token = default)
    {
        await using var db = await factory.CreateDbContextAsync(token);
        return await db.Runs.AsNoTracking().Include(r => r.Project).SingleOrDefaultAsync(r => r.Id == runId, token);
    }

    /// <summary>The run, or KeyNotFoundException naming it.</summary>
    public async Task<TrainingRun> RequireAsync(int runId, CancellationToken token = default) =>
        await GetAsync(runId, token) ?? throw new KeyNotFoundException($"Run {runId} does not exist.");

    /// <summary>A project's runs, newest first.</summary>
    public async Task<IReadOnlyList<TrainingRun>> ListAsync(int projectId, CancellationToken token = default)
    {
        await using var db = await factory.CreateDbContextAsync(token);
        return await db.Runs.AsNoTracking().Where(r => r.ProjectId == projectId).OrderByDescending(r => r.Id).ToListAsync(token);
    }

    /// <summary>The run's losses per finished epoch, in order.</summary>
    public async Task<IReadOnlyList<RunEpoch>> EpochsAsync(int runId, CancellationToken token = default)
    {
        await using var db = await factory.CreateDbContextAsync(token);
        return await db.RunEpochs.AsNoTracking().Where(e => e.RunId == runId).OrderBy(e => e.Epoch).ToListAsync(token);
    }

    /// <summary>The run's log, oldest line first.</summary>
    public async Task<IReadOnlyList<RunLogEntry>> LogAsync(int runId, CancellationToken token = default)
    {
        await using var db = await factory.CreateDbContextAsync(token);
        return await db.RunLog.AsNoTracking().Where(e => e.RunId == runId).OrderBy(e => e.Id).ToListAsync(token);
    }
}
