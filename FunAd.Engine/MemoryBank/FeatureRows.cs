namespace FunAd.Engine.MemoryBank;

/// <summary>Feature matrices stored flat, row after row, as banks and coresets keep them.</summary>
public static class FeatureRows
{
    /// <summary>The rows of <paramref name="rows"/> at <paramref name="indices"/>, in that order, as a new flat matrix.</summary>
    public static float[] Gather(float[] rows, IReadOnlyList<int> indices, int dimension)
    {
        var gathered = new float[(long)indices.Count * dimension];
        for (var i = 0; i < indices.Count; i++) Array.Copy(rows, (long)indices[i] * dimension, gathered, (long)i * dimension, dimension);
        return gathered;
    }
}
