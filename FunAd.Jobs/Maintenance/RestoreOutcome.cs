namespace FunAd.Jobs.Maintenance;

/// <summary>What was restored, where the data root's previous contents went (with --force), and the check of the result.</summary>
public sealed record RestoreOutcome(BackupManifest Manifest, string? MovedAside, IntegrityReport Check);
