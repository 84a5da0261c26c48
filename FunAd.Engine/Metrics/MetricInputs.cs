namespace FunAd.Engine.Metrics;

/// <summary>
/// Argument checks shared by the metric entry points, so that every metric rejects the same bad
/// input with the same message before it allocates anything large.
/// </summary>
internal static class MetricInputs
{
    public static void EnsureSameLength(int scoresLength, int labelsLength, string labelsParamName)
    {
        if (scoresLength != labelsLength)
        {
            throw new ArgumentException(
                $"scores has {scoresLength} elements but {labelsParamName} has {labelsLength}; they must pair up one to one.",
                labelsParamName);
        }
    }

    /// <summary>NaN has no place in a score ordering, so sorting would silently put it at one end.</summary>
    public static void EnsureNoNaN(ReadOnlySpan<float> scores, string paramName, int? image = null)
    {
        for (int i = 0; i < scores.Length; i++)
        {
            if (float.IsNaN(scores[i]))
            {
                string where = image is null ? $"{paramName}[{i}]" : $"{paramName}[{image}][{i}]";
                throw new ArgumentException($"{where} is NaN; every score must be a number.", paramName);
            }
        }
    }

    /// <summary>
    /// Validates per-image maps against their masks and returns how many pixels they hold together,
    /// which must fit in one array because the metrics sort all pixels at once.
    /// </summary>
    public static int PooledPixelCount(IReadOnlyList<float[]> maps, IReadOnlyList<bool[]> masks)
    {
        ArgumentNullException.ThrowIfNull(maps);
        ArgumentNullException.ThrowIfNull(masks);
        if (maps.Count != masks.Count)
        {
            throw new ArgumentException(
                $"There are {maps.Count} anomaly maps but {masks.Count} masks; each map needs its mask.", nameof(masks));
        }

        long total = 0;
        for (int i = 0; i < maps.Count; i++)
        {
            float[] map = maps[i] ?? throw new ArgumentException($"maps[{i}] is null.", nameof(maps));
            bool[] mask = masks[i] ?? throw new ArgumentException($"masks[{i}] is null.", nameof(masks));
            if (map.Length != mask.Length)
            {
                throw new ArgumentException(
                    $"maps[{i}] has {map.Length} pixels but masks[{i}] has {mask.Length}.", nameof(masks));
            }

            EnsureNoNaN(map, nameof(maps), i);
            total += map.Length;
        }

        if (total > Array.MaxLength)
        {
            throw new ArgumentException(
                $"The maps hold {total} pixels together, more than one array can hold ({Array.MaxLength}).", nameof(maps));
        }

        return (int)total;
    }
}
