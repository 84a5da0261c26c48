namespace FunAd.Jobs.Workers;

/// <summary>
/// The Hangfire queues training runs travel on. <c>gpu</c>: runs meant for a GPU; <c>cpu</c>: runs
/// any device may take. A GPU process listens to both (gpu first), a CPU-only process to <c>cpu</c>.
/// </summary>
public static class JobQueues
{
    public const string Gpu = "gpu";
    public const string Cpu = "cpu";

    /// <summary>The single queue of versions before the split; still served, so runs queued then are not stranded.</summary>
    public const string Legacy = "training";

    /// <summary>The queues a process takes jobs from by default, given its device.</summary>
    public static string[] ForDevice(bool hasGpu) => hasGpu ? [Gpu, Cpu, Legacy] : [Cpu, Legacy];

    /// <summary>Every queue: the web app's embedded job server on a single machine takes anything.</summary>
    public static string[] All => [Gpu, Cpu, Legacy];

    /// <summary>Parses "gpu,cpu" (case-insensitive); null or empty gives null (use the default).</summary>
    public static string[]? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var queues = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(q => q.ToLowerInvariant()).Distinct().ToArray();
        foreach (var queue in queues)
            if (queue.Length == 0 || !queue.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
                throw new ArgumentException($"Queue name '{queue}' is not valid: use lower-case letters, digits and '_' (e.g. gpu,cpu).");
        return queues;
    }
}
