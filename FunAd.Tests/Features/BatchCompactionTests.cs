using FunAd.Engine.Features;

namespace FunAd.Tests.Features;

public class BatchCompactionTests
{
    [Fact]
    public void Decoded_slots_move_to_the_front_in_input_order_with_their_records()
    {
        float[] buffer = [1, 1, 9, 9, 3, 3, 9, 9, 5, 5];
        bool[] decoded = [true, false, true, false, true];
        string[] names = ["a", "-", "c", "-", "e"];

        var count = BatchCompaction.Compact(buffer, 2, decoded, (from, to) => names[to] = names[from]);

        Assert.Equal(3, count);
        Assert.Equal(new float[] { 1, 1, 3, 3, 5, 5 }, buffer[..6]);
        Assert.Equal(new[] { "a", "c", "e" }, names[..3]);
    }
}
