using FunAd.Engine.Visualization;

namespace FunAd.Tests.Visualization;

public sealed class HeatmapValuesTests
{
    [Fact]
    public void Values_come_back_to_within_a_65535th_of_their_range()
    {
        var map = Enumerable.Range(0, 12).Select(i => MathF.Sin(i) * 3 + 1).ToArray();

        var bytes = HeatmapValues.Encode(map, 4, 3);
        var (values, width, height) = HeatmapValues.Decode(bytes);

        Assert.Equal(16 + 2 * 12, bytes.Length);
        Assert.Equal((4, 3), (width, height));
        var span = map.Max() - map.Min();
        Assert.All(map.Zip(values), p => Assert.InRange(p.Second, p.First - span / 65535f, p.First + span / 65535f));
        Assert.Equal(map.Min(), values.Min());
        Assert.Equal(map.Max(), values.Max(), 5);
    }

    [Fact]
    public void A_flat_map_and_bad_input_are_handled()
    {
        var (flat, _, _) = HeatmapValues.Decode(HeatmapValues.Encode([2f, 2f, 2f, 2f], 2, 2));
        Assert.All(flat, v => Assert.Equal(2f, v));
        Assert.Throws<ArgumentException>(() => HeatmapValues.Encode([1f, 2f, 3f], 2, 2));
        Assert.Throws<FormatException>(() => HeatmapValues.Decode("PNG!0000000000000000"u8));
        var cut = HeatmapValues.Encode([1f, 2f, 3f, 4f], 2, 2)[..^2];
        Assert.Throws<FormatException>(() => HeatmapValues.Decode(cut));
    }
}
