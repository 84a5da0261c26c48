using FunAd.Engine.Devices;
using FunAd.Engine.MemoryBank;
using FunAd.Engine.Search;

namespace FunAd.Tests.Search;

public class NearestNeighbourTests
{
    private static readonly ComputeDevice Cpu = ComputeDevice.Resolve(DeviceChoice.Cpu);

    private static float[] RandomVectors(int count, int dimension, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count * dimension).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }

    [Fact]
    public void Distances_equal_a_brute_force_search_across_bank_chunks()
    {
        const int dimension = 16;
        var bank = RandomVectors(9000, dimension, 1); // more rows than one chunk
        var queries = RandomVectors(40, dimension, 2);
        using var index = new NearestNeighbourIndex(bank, dimension, Cpu);

        var distances = index.Scores(queries);

        for (var q = 0; q < 40; q++)
        {
            var best = double.MaxValue;
            for (var b = 0; b < 9000; b++)
            {
                double sum = 0;
                for (var d = 0; d < dimension; d++) { var diff = queries[q * dimension + d] - bank[b * dimension + d]; sum += diff * diff; }
                best = Math.Min(best, sum);
            }
            Assert.Equal(Math.Sqrt(best), distances[q], 1e-3);
        }
    }

    [Fact]
    public void A_query_that_is_in_the_bank_has_distance_zero()
    {
        var bank = RandomVectors(50, 8, 3);
        using var index = new NearestNeighbourIndex(bank, 8, Cpu);

        var distances = index.Scores(bank.AsSpan(8 * 7, 8));

        Assert.Equal(0, distances.Single(), 1e-3);
    }

    private static double[] BruteForce(float[] bank, float[] queries, int dimension, int k, bool cosine)
    {
        double Norm(float[] v, int at) => Math.Sqrt(Enumerable.Range(0, dimension).Sum(d => (double)v[at + d] * v[at + d]));
        var count = bank.Length / dimension;
        return Enumerable.Range(0, queries.Length / dimension).Select(q =>
        {
            var distances = Enumerable.Range(0, count).Select(b =>
            {
                if (cosine)
                {
                    var dot = Enumerable.Range(0, dimension).Sum(d => (double)queries[q * dimension + d] * bank[b * dimension + d]);
                    return 1 - dot / (Norm(queries, q * dimension) * Norm(bank, b * dimension));
                }
                return Math.Sqrt(Enumerable.Range(0, dimension).Sum(d => Math.Pow(queries[q * dimension + d] - bank[b * dimension + d], 2)));
            }).Order().Take(k);
            return distances.Average();
        }).ToArray();
    }

    [Theory]
    [InlineData(BankMetric.Cosine, 1)]
    [InlineData(BankMetric.Cosine, 10)]
    [InlineData(BankMetric.L2, 5)]
    public void The_mean_distance_to_the_k_nearest_equals_a_brute_force_search_across_bank_chunks(BankMetric metric, int k)
    {
        const int dimension = 12;
        var bank = RandomVectors(8500, dimension, 6); // more rows than one chunk: the top k merges across chunks
        var queries = RandomVectors(25, dimension, 7);
        using var index = new NearestNeighbourIndex(bank, dimension, Cpu, metric, k);

        var scores = index.Scores(queries);

        var expected = BruteForce(bank, queries, dimension, k, metric == BankMetric.Cosine);
        for (var q = 0; q < 25; q++) Assert.Equal(expected[q], scores[q], 1e-4);
    }

    [Fact]
    public void Cosine_scores_ignore_the_length_of_a_vector()
    {
        var bank = RandomVectors(30, 6, 8);
        using var index = new NearestNeighbourIndex(bank, 6, Cpu, BankMetric.Cosine, 3);
        var query = RandomVectors(1, 6, 9);

        Assert.Equal(index.Scores(query).Single(), index.Scores(query.Select(v => v * 40).ToArray()).Single(), 1e-5);
    }

    [Fact]
    public void The_coreset_takes_far_points_first_and_is_reproducible()
    {
        const int dimension = 4;
        var points = RandomVectors(500, dimension, 4).Select(v => v * 0.1f).ToArray();
        // One far outlier: k-center greedy must pick it within the first two choices.
        for (var d = 0; d < dimension; d++) points[123 * dimension + d] = 50;

        var first = GreedyCoreset.Select(points, dimension, 20, 128, seed: 9, Cpu);
        var again = GreedyCoreset.Select(points, dimension, 20, 128, seed: 9, Cpu);

        Assert.Equal(first, again);
        Assert.Contains(123, first.Take(2));
        Assert.Equal(20, first.Distinct().Count());
    }

    [Fact]
    public void The_coreset_stage_reports_how_many_rows_are_chosen_so_far_not_one_constant_line()
    {
        const int dimension = 8;
        var reports = new List<Engine.Models.StageProgress>();

        var (bank, chosen) = CoresetBank.Select(RandomVectors(4000, dimension, 10), dimension, 0.25, 128, seed: 1, Cpu,
            new Engine.Models.InlineProgress<Engine.Models.StageProgress>(reports.Add), default, "patches");

        Assert.Equal(1000, chosen.Length);
        Assert.Equal(1000 * dimension, bank.Length);
        Assert.All(reports, r => Assert.Equal(Engine.Models.Stages.Coreset, r.Stage));
        // From nothing chosen, through the greedy loop's reports (every 256 choices), to all of them.
        Assert.Equal("0 of 1,000 patches chosen from 4,000", reports[0].Detail);
        Assert.Equal("256 of 1,000 patches chosen from 4,000", reports[1].Detail);
        Assert.Equal("1,000 of 1,000 patches chosen from 4,000", reports[^1].Detail);
        Assert.Equal(reports.Count, reports.Select(r => r.Detail).Distinct().Count());
        Assert.Equal(reports.Select(r => r.Fraction).Order(), reports.Select(r => r.Fraction));
    }

    [Fact]
    public void Asking_for_at_least_every_point_keeps_them_all()
    {
        Assert.Equal(Enumerable.Range(0, 10), GreedyCoreset.Select(RandomVectors(10, 3, 5), 3, 10, 2, 0, Cpu));
    }
}
