using System.Collections.Concurrent;

namespace FunAd.Web.Security;

/// <summary>
/// The lockout rule: five wrong passwords for an account from one client address within 15 minutes
/// lock that account <em>for that address</em> for 5 minutes. Other addresses are not affected, so
/// nobody can lock an admin out from elsewhere by failing on purpose; guessing from one address is
/// bounded by this and by the sign-in rate limit (10 posts a minute per address). An unknown e-mail
/// address is counted the same way as a known one, so the answers never tell them apart. Kept in
/// memory: one web process serves sign-in; a restart forgets the counts.
/// </summary>
public sealed class SignInGuard(TimeProvider clock)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan LockFor = TimeSpan.FromMinutes(5);
    private const int MaxTracked = 100_000;

    private readonly ConcurrentDictionary<(string Account, string Address), Entry> entries = new();

    private sealed record Entry(int Failures, DateTimeOffset FirstFailure, DateTimeOffset? LockedUntil);

    public bool IsLocked(string account, string? address) =>
        entries.TryGetValue(Key(account, address), out var entry) && entry.LockedUntil is { } until && until > clock.GetUtcNow();

    public void RecordFailure(string account, string? address)
    {
        var now = clock.GetUtcNow();
        // Anonymous posts fill this table: forget expired entries, and everything if it is still too big.
        if (entries.Count > MaxTracked)
        {
            Prune(now, all: false);
            if (entries.Count > MaxTracked) Prune(now, all: true);
        }
        entries.AddOrUpdate(Key(account, address), _ => new Entry(1, now, null), (_, old) =>
        {
            var fresh = now - old.FirstFailure > Window && old.LockedUntil is null || old.LockedUntil is { } until && until <= now;
            var failures = fresh ? 1 : old.Failures + 1;
            var first = fresh ? now : old.FirstFailure;
            return new Entry(failures, first, failures >= MaxFailures ? now + LockFor : null);
        });
    }

    public void RecordSuccess(string account, string? address) => entries.TryRemove(Key(account, address), out _);

    private void Prune(DateTimeOffset now, bool all)
    {
        foreach (var (key, entry) in entries)
            if (all || now - entry.FirstFailure > Window && (entry.LockedUntil is null || entry.LockedUntil <= now)) entries.TryRemove(key, out _);
    }

    private static (string, string) Key(string account, string? address) => (account.Trim().ToUpperInvariant(), address ?? "unknown");
}
