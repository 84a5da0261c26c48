namespace FunAd.Bench.Accuracy;

/// <summary>
/// The standard semantic yardstick, written here apart from the engine so it checks the engine too:
/// the score of a test image is its mean cosine distance to its k nearest training images, on
/// L2-normalised global features (kNN-k). With every training image in the set, contamination included.
/// </summary>
public static class NearestNeighbourYardstick
{
    public static float[] Scores(IReadOnlyList<float[]> train, IReadOnlyList<float[]> test, int k)
    {
        if (k < 1 || k > train.Count) throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be in 1..{train.Count}.");
        var normalisedTrain = train.Select(Normalised).ToArray();
        var scores = new float[test.Count];
        Parallel.For(0, test.Count, t =>
        {
            var query = Normalised(test[t]);
            var distances = new double[normalisedTrain.Length];
            for (var i = 0; i < normalisedTrain.Length; i++)
            {
                double dot = 0;
                var row = normalisedTrain[i];
                for (var c = 0; c < row.Length; c++) dot += row[c] * query[c];
                distances[i] = 1 - dot;
            }
            Array.Sort(distances);
            scores[t] = (float)distances.Take(k).Average();
        });
        return scores;
    }

    private static double[] Normalised(float[] vector)
    {
        var norm = Math.Sqrt(vector.Sum(v => (double)v * v));
        return vector.Select(v => v / Math.Max(norm, 1e-12)).ToArray();
    }
}
