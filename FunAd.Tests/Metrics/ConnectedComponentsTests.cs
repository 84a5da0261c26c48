using FunAd.Engine.Metrics;

namespace FunAd.Tests.Metrics;

public class ConnectedComponentsTests
{
    private const bool X = true;
    private const bool _ = false;

    [Fact]
    public void Diagonal_pixels_join()
    {
        bool[] mask =
        [
            X, _, _,
            _, X, _,
            _, _, X,
        ];

        var (labels, count) = ConnectedComponents.Label(mask, 3, 3);

        Assert.Equal(1, count);
        Assert.Equal([1, 0, 0, 0, 1, 0, 0, 0, 1], labels);
    }

    [Fact]
    public void Anti_diagonal_pixels_join()
    {
        bool[] mask =
        [
            _, X,
            X, _,
        ];

        var (labels, count) = ConnectedComponents.Label(mask, 2, 2);

        Assert.Equal(1, count);
        Assert.Equal([0, 1, 1, 0], labels);
    }

    [Fact]
    public void Blobs_apart_stay_separate_and_are_numbered_from_one()
    {
        bool[] mask =
        [
            X, X, _, _, X,
            X, _, _, X, X,
            _, _, _, _, _,
        ];

        var (labels, count) = ConnectedComponents.Label(mask, 5, 3);

        Assert.Equal(2, count);
        Assert.Equal(
            [
                1, 1, 0, 0, 2,
                1, 0, 0, 2, 2,
                0, 0, 0, 0, 0,
            ],
            labels);
    }

    [Fact]
    public void Row_ends_do_not_wrap_into_the_next_row()
    {
        // Pixels 2 and 3 are neighbours in memory but at opposite edges of the image.
        bool[] mask =
        [
            _, _, X,
            X, _, _,
        ];

        var (labels, count) = ConnectedComponents.Label(mask, 3, 2);

        Assert.Equal(2, count);
        Assert.NotEqual(labels[2], labels[3]);
    }

    [Fact]
    public void U_shape_is_one_component()
    {
        // Arms that only meet at the bottom trip labelling that decides on the first row alone.
        bool[] mask =
        [
            X, _, X,
            X, _, X,
            X, X, X,
        ];

        var (labels, count) = ConnectedComponents.Label(mask, 3, 3);

        Assert.Equal(1, count);
        Assert.Equal([1, 0, 1, 1, 0, 1, 1, 1, 1], labels);
    }

    [Fact]
    public void Empty_mask_has_no_components()
    {
        var (labels, count) = ConnectedComponents.Label(new bool[12], 4, 3);

        Assert.Equal(0, count);
        Assert.All(labels, label => Assert.Equal(0, label));
    }

    [Fact]
    public void Size_mismatch_throws()
    {
        Assert.Throws<ArgumentException>(() => ConnectedComponents.Label(new bool[10], 4, 3));
    }
}
