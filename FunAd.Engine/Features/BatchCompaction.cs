namespace FunAd.Engine.Features;

/// <summary>
/// Images of a batch are decoded in parallel into fixed slots (slot = position in the input), and
/// some may be refused. This moves the decoded ones to the front, keeping their input order, so a
/// batch's contents never depend on thread timing.
/// </summary>
public static class BatchCompaction
{
    /// <param name="buffer">Slots of <paramref name="slotLength"/> floats each.</param>
    /// <param name="decoded">Which slots hold an image.</param>
    /// <param name="move">Moves the caller's per-slot records from the first index to the second.</param>
    /// <returns>How many images the batch holds, now in slots 0 .. count-1.</returns>
    public static int Compact(float[] buffer, int slotLength, bool[] decoded, Action<int, int> move)
    {
        var count = 0;
        for (var slot = 0; slot < decoded.Length; slot++)
        {
            if (!decoded[slot]) continue;
            if (count != slot)
            {
                buffer.AsSpan(slot * slotLength, slotLength).CopyTo(buffer.AsSpan(count * slotLength, slotLength));
                move(slot, count);
            }
            count++;
        }
        return count;
    }
}
