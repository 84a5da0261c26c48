namespace FunAd.Jobs.Maintenance;

/// <summary>What a repair found, what it did (one line per action), and what the check finds afterwards.</summary>
public sealed record RepairOutcome(IntegrityReport Before, IReadOnlyList<string> Actions, IntegrityReport After);
