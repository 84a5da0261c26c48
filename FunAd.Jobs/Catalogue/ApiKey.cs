namespace FunAd.Jobs.Catalogue;

/// <summary>
/// A key for scripts calling the HTTP API. Only its SHA-256 is stored; the key itself is shown once,
/// when an admin creates it. The prefix lets a person tell keys apart in the list.
/// </summary>
public sealed class ApiKey
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public required string Prefix { get; set; }
    public required string Hash { get; set; }
    public required string Role { get; set; }
    public string? CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}
