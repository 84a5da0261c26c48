using FunAd.Engine.Training;
using static TorchSharp.torch;

namespace FunAd.Tests.Training;

public class NeighbourSearchTests
{
    [Fact]
    public void A_query_that_finds_itself_takes_its_second_neighbour()
    {
        using var bank = tensor(new float[] { 0, 0, 3, 0, 10, 0 }, [3, 2]);
        using var queries = tensor(new float[] { 0, 0, 9, 0 }, [2, 2]);

        var distances = NeighbourSearch.NearestDistance(queries, bank, selfMatch: 1e-2).data<float>().ToArray();

        Assert.Equal(9f, distances[0], 1e-4f); // itself at 0 is skipped; (3,0) is 3 away, squared 9
        Assert.Equal(1f, distances[1], 1e-4f); // (10,0) is 1 away and not a self-match
    }

    [Fact]
    public void With_image_ids_a_query_skips_every_bank_row_of_its_own_image()
    {
        // Bank rows at 0 and 0.5 belong to image 1, the row at 3 to image 2. The query at 0.1 (image 1)
        // lies next to its own image's rows, which are skipped: its distance is to 3. The query at 2.9
        // (image 3) takes its plain nearest, 3.
        using var bank = tensor(new float[] { 0, 0.5f, 3 }, [3, 1]);
        using var bankImages = tensor(new long[] { 1, 1, 2 });
        using var queries = tensor(new float[] { 0.1f, 2.9f }, [2, 1]);
        using var queryImages = tensor(new long[] { 1, 3 });

        var distances = NeighbourSearch.NearestDistance(queries, bank, 1e-2, queryImages, bankImages).data<float>().ToArray();

        Assert.Equal(2.9f * 2.9f, distances[0], 1e-4f);
        Assert.Equal(0.01f, distances[1], 1e-4f);
    }

    [Fact]
    public void A_query_whose_image_holds_the_whole_bank_falls_back_to_the_self_match_rule()
    {
        using var bank = tensor(new float[] { 0, 3 }, [2, 1]);
        using var bankImages = tensor(new long[] { 4, 4 });
        using var queries = tensor(new float[] { 0 }, [1, 1]);
        using var queryImages = tensor(new long[] { 4 });

        var distances = NeighbourSearch.NearestDistance(queries, bank, 1e-2, queryImages, bankImages).data<float>().ToArray();

        Assert.Equal(9f, distances[0], 1e-4f); // itself skipped by the self-match rule, then 3 away
    }

    [Fact]
    public void Nearest_distances_agree_with_brute_force_across_chunks()
    {
        var random = new Random(2);
        var bankValues = Enumerable.Range(0, 9000 * 3).Select(_ => (float)random.NextDouble()).ToArray();
        var queryValues = Enumerable.Range(0, 20 * 3).Select(_ => (float)random.NextDouble() + 0.5f).ToArray();
        using var bank = tensor(bankValues, [9000, 3]);
        using var queries = tensor(queryValues, [20, 3]);

        var distances = NeighbourSearch.NearestDistance(queries, bank, selfMatch: 0).data<float>().ToArray();

        for (var q = 0; q < 20; q++)
        {
            var best = Enumerable.Range(0, 9000).Min(b => Enumerable.Range(0, 3).Sum(d => Math.Pow(queryValues[q * 3 + d] - bankValues[b * 3 + d], 2)));
            Assert.Equal(best, distances[q], 1e-4);
        }
    }

    [Fact]
    public void Own_image_exclusion_agrees_with_brute_force_across_chunks()
    {
        var random = new Random(3);
        var bankValues = Enumerable.Range(0, 9000 * 3).Select(_ => (float)random.NextDouble()).ToArray();
        var bankIds = Enumerable.Range(0, 9000).Select(_ => (long)random.Next(5)).ToArray();
        var queryValues = Enumerable.Range(0, 20 * 3).Select(_ => (float)random.NextDouble()).ToArray();
        var queryIds = Enumerable.Range(0, 20).Select(_ => (long)random.Next(5)).ToArray();
        using var bank = tensor(bankValues, [9000, 3]);
        using var queries = tensor(queryValues, [20, 3]);
        using var bankImages = tensor(bankIds);
        using var queryImages = tensor(queryIds);

        var distances = NeighbourSearch.NearestDistance(queries, bank, 1e-2, queryImages, bankImages).data<float>().ToArray();

        for (var q = 0; q < 20; q++)
        {
            var best = Enumerable.Range(0, 9000).Where(b => bankIds[b] != queryIds[q])
                .Min(b => Enumerable.Range(0, 3).Sum(d => Math.Pow(queryValues[q * 3 + d] - bankValues[b * 3 + d], 2)));
            Assert.Equal(best, distances[q], 1e-4);
        }
    }

    [Fact]
    public void Mutual_pairs_are_rows_that_are_each_others_nearest()
    {
        // Points on a line at 0, 1, 1.6, 10, 11: 1 and 1.6 are each other's nearest, and so are 10 and 11;
        // the nearest of 0 is 1, whose nearest is 1.6, so 0 is in no pair.
        using var rows = tensor(new float[] { 0, 1, 1.6f, 10, 11 }, [5, 1]);

        var (left, right) = NeighbourSearch.MutualPairs(rows);

        var pairs = left.data<long>().ToArray().Zip(right.data<long>().ToArray()).ToArray();
        Assert.Equal(new[] { (1L, 2L), (3L, 4L) }, pairs);
    }
}
