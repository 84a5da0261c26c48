namespace FunAd.Bench.Accuracy;

/// <summary>
/// Figures per (seed, row) and column, summarised as a benchmark reader needs them: the mean over
/// the rows for each seed, the mean over the seeds, and the spread between seeds, so a difference
/// between columns can be told from the noise of one draw.
/// </summary>
public sealed class ResultTable(string measure, IReadOnlyList<string> columns)
{
    private readonly List<(int Seed, string Row, double[] Values)> _rows = [];

    public void Add(int seed, string row, IReadOnlyList<double> values)
    {
        if (values.Count != columns.Count) throw new ArgumentException($"Expected {columns.Count} values, got {values.Count}.");
        _rows.Add((seed, row, values.ToArray()));
    }

    /// <summary>Means over all rows, and over <paramref name="subset"/> rows when given, per seed and over seeds.</summary>
    public void PrintSummary(IReadOnlyList<string>? subset = null, string subsetName = "hard")
    {
        Console.WriteLine($"## summary: {measure}, mean over rows, per seed; last line the mean over seeds (+- half the spread between seeds)");
        Console.WriteLine($"{"",-18}" + string.Concat(columns.Select(c => $" {c,14}")));
        PrintMeans("all", _rows);
        if (subset is { Count: > 0 }) PrintMeans(subsetName, _rows.Where(r => subset.Contains(r.Row)).ToList());
    }

    /// <summary>Per row, the mean over seeds of each column.</summary>
    public void PrintPerRow()
    {
        Console.WriteLine($"## {measure} per row, mean over seeds");
        Console.WriteLine($"{"",-18}" + string.Concat(columns.Select(c => $" {c,14}")));
        foreach (var group in _rows.GroupBy(r => r.Row))
            Console.WriteLine($"{group.Key,-18}" + string.Concat(Enumerable.Range(0, columns.Count).Select(c => $" {100 * group.Average(r => r.Values[c]),14:F2}")));
    }

    private void PrintMeans(string name, IReadOnlyList<(int Seed, string Row, double[] Values)> rows)
    {
        var seeds = rows.Select(r => r.Seed).Distinct().Order().ToArray();
        var perSeed = seeds.Select(s => Enumerable.Range(0, columns.Count).Select(c => rows.Where(r => r.Seed == s).Average(r => r.Values[c])).ToArray()).ToArray();
        for (var i = 0; i < seeds.Length; i++)
            Console.WriteLine($"{$"{name}, seed {seeds[i]}",-18}" + string.Concat(perSeed[i].Select(v => $" {100 * v,14:F2}")));
        Console.WriteLine($"{$"{name}, mean",-18}" + string.Concat(Enumerable.Range(0, columns.Count).Select(c =>
        {
            var values = perSeed.Select(p => p[c]).ToArray();
            return $" {100 * values.Average(),8:F2} +-{50 * (values.Max() - values.Min()),4:F2}";
        })));
    }
}
