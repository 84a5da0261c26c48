using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace FunAd.Jobs.Audit;

/// <summary>
/// The audit log in the catalogue: sign-ins, uploads, runs, verdicts, thresholds, downloads, keys and
/// users. Written in its own small transaction, so a failing audit write never undoes the action it records.
/// </summary>
public sealed class AuditLog(IDbContextFactory<CatalogueDbContext> factory, ILogger<AuditLog>? logger = null)
{
    public const int MaxDetail = 2000;

    public async Task RecordAsync(string? actor, string action, string? target = null, string? detail = null, CancellationToken token = default)
    {
        await using var db = await factory.CreateDbContextAsync(token);
        db.Audit.Add(new AuditEntry
        {
            Actor = string.IsNullOrWhiteSpace(actor) ? "anonymous" : actor,
            Action = action,
            Target = target,
            Detail = detail is { Length: > MaxDetail } ? detail[..MaxDetail] : detail,
        });
        try
        {
            await db.SaveChangesAsync(token);
        }
        catch (Exception e) when (StorageFailure.Storage(e) is { } reason)
        {
            // The action happened already (an upload saved, a run started): a full disk must not make
            // its caller believe it failed. The entry goes to the process log instead.
            logger?.LogError("Audit entry not written ({Reason}): {Actor} {Action} {Target} {Detail}", reason, actor, action, target, detail);
        }
    }

    /// <summary>The newest entries first, optionally only those whose action starts with a word.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ListAsync(int take = 200, string? action = null, CancellationToken token = default)
    {
        await using var db = await factory.CreateDbContextAsync(token);
        var query = db.Audit.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(action)) query = query.Where(e => e.Action.StartsWith(action));
        return await query.OrderByDescending(e => e.Id).Take(Math.Clamp(take, 1, 5000)).ToListAsync(token);
    }
}
