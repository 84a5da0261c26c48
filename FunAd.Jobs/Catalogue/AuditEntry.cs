namespace FunAd.Jobs.Catalogue;

/// <summary>One thing a person or key did that a team may need to account for later: who, what, on what, when.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; } = DateTimeOffset.UtcNow;
    /// <summary>The user's e-mail, "api key 'name'", or "system".</summary>
    public required string Actor { get; set; }
    /// <summary>A short verb phrase: "sign-in", "sign-in failed", "upload", "run started", "verdict", "model downloaded", ...</summary>
    public required string Action { get; set; }
    /// <summary>What it was done to: "project 3", "run 12", "image 456", a user's e-mail.</summary>
    public string? Target { get; set; }
    public string? Detail { get; set; }
}
