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
    /// <summary>Actor and target are names (e-mail addresses, project and file names): anonymous sign-in posts choose them.</summary>
    public const int MaxName = 256;

    public async Task RecordAsync(string? actor, string action, string? target = null, string? detail = null, CancellationToken token = default)
    {
        await using var db = await factory.CreateDbContextAsync(token);
        db.Audit.Add(new AuditEntry
        {
            Actor = string.IsNullOrWhiteSpace(actor) ? "anonymous" : Bounded(actor, MaxName)!,
            Action = Bounded(action, MaxName)!,
            Target = Bounded(target, MaxName),
            Detail = Bounded(detail, MaxDetail),
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

    /// <summary>
    /// At most <paramref name="max"/> characters, control characters (CR, LF, NUL...) shown as U+FFFD so
    /// an entry is one line whatever was submitted; a cut text ends with an ellipsis that says so.
    /// </summary>
    public static string? Bounded(string? text, int max)
    {
        if (text is null) return null;
        var cut = text.Length > max ? text[..(max - 1)] + "\u2026" : text;
        return string.Create(cut.Length, cut, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++) span[i] = char.IsControl(source[i]) ? '\uFFFD' : source[i];
        });
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
