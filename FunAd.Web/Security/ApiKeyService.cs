using System.Security.Cryptography;
using System.Text;
using FunAd.Jobs.Audit;
using FunAd.Jobs.Catalogue;
using Microsoft.EntityFrameworkCore;

namespace FunAd.Web.Security;

/// <summary>An API key as the admin list shows it (never the key itself).</summary>
public sealed record ApiKeySummary(int Id, string Name, string Prefix, string Role, string? CreatedBy, DateTimeOffset CreatedAt,
    DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);

/// <summary>Creates, checks and revokes API keys. Keys are 256 random bits; only their SHA-256 is stored.</summary>
public sealed class ApiKeyService(IDbContextFactory<CatalogueDbContext> factory)
{
    private readonly AuditLog audit = new(factory);

    public const string Header = "X-Api-Key";
    private const string KeyStart = "fad_";

    /// <summary>Creates a key and returns it in clear text: the only time anyone sees it.</summary>
    public async Task<(ApiKeySummary Key, string Secret)> CreateAsync(string name, string role, string? createdBy, CancellationToken token = default)
    {
        name = name?.Trim() ?? "";
        if (name.Length is 0 or > 100) throw new ArgumentException("An API key needs a name of 1 to 100 characters.");
        if (!Roles.IsKnown(role)) throw new ArgumentException($"Unknown role '{role}': use {string.Join(", ", Roles.All)}.");
        var secret = KeyStart + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var key = new ApiKey { Name = name, Role = role, Prefix = secret[..12], Hash = Hash(secret), CreatedBy = createdBy };
        await using var db = await factory.CreateDbContextAsync(token);
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(token);
        await audit.RecordAsync(createdBy, "api key created", $"api key {key.Id}", $"{name} ({role}, starts {key.Prefix})", token);
        return (Summary(key), secret);
    }

    public async Task<IReadOnlyList<ApiKeySummary>> ListAsync(CancellationToken token = default)
    {
        await using var db = await factory.CreateDbContextAsync(token);
        var keys = await db.ApiKeys.AsNoTracking().ToListAsync(token);
        return keys.OrderByDescending(k => k.CreatedAt).Select(Summary).ToList();
    }

    public async Task<bool> RevokeAsync(int id, string? by, CancellationToken token = default)
    {
        await using var db = await factory.CreateDbContextAsync(token);
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == id, token);
        if (key is null || key.RevokedAt is not null) return false;
        key.RevokedAt = DateTimeOffset.UtcNow;
        await db.SaveChangesAsync(token);
        await audit.RecordAsync(by, "api key revoked", $"api key {id}", key.Name, token);
        return true;
    }

    /// <summary>
    /// The live key with this secret, or null. Looked up by hash, so the comparison reveals nothing by its
    /// timing. A key is not live while it is revoked, nor while the user who created it is disabled (a key
    /// names its creator by user name; keys made with another key name no user and are not affected).
    /// </summary>
    public async Task<ApiKey?> FindAsync(string secret, CancellationToken token = default)
    {
        if (string.IsNullOrEmpty(secret) || !secret.StartsWith(KeyStart, StringComparison.Ordinal) || secret.Length > 200) return null;
        var hash = Hash(secret);
        await using var db = await factory.CreateDbContextAsync(token);
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Hash == hash && k.RevokedAt == null
            && !db.Users.Any(u => u.Disabled && u.UserName == k.CreatedBy), token);
        if (key is not null && (key.LastUsedAt is null || DateTimeOffset.UtcNow - key.LastUsedAt > TimeSpan.FromMinutes(1)))
        {
            key.LastUsedAt = DateTimeOffset.UtcNow;
            await db.SaveChangesAsync(token);
        }
        return key;
    }

    /// <summary>How many unrevoked keys the user of this name created (what disabling them stops).</summary>
    public async Task<int> CountLiveKeysCreatedByAsync(string userName, CancellationToken token = default)
    {
        await using var db = await factory.CreateDbContextAsync(token);
        return await db.ApiKeys.CountAsync(k => k.CreatedBy == userName && k.RevokedAt == null, token);
    }

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static ApiKeySummary Summary(ApiKey k) => new(k.Id, k.Name, k.Prefix, k.Role, k.CreatedBy, k.CreatedAt, k.LastUsedAt, k.RevokedAt);
}
