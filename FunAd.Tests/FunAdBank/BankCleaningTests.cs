using FunAd.Engine.FunAdBank;

namespace FunAd.Tests.FunAdBank;

public class BankCleaningTests
{
    [Fact]
    public void The_highest_scoring_share_of_images_is_set_aside_rounded_up_ties_by_position()
    {
        float[] scores = [0.1f, 0.9f, 0.3f, 0.9f, 0.2f, 0.8f, 0.05f, 0.4f];

        Assert.Equal([false, true, false, true, false, false, false, false], BankCleaning.ImagesToSetAside(scores, 0.25));
        // 0.3 of 8 is 2.4: three images, the third highest being 0.8.
        Assert.Equal([false, true, false, true, false, true, false, false], BankCleaning.ImagesToSetAside(scores, 0.3));
        Assert.Equal(new bool[8], BankCleaning.ImagesToSetAside(scores, 0));
    }

    [Fact]
    public void Suspects_are_the_images_ranked_right_after_the_set_aside_ones()
    {
        float[] scores = [0.1f, 0.9f, 0.3f, 0.95f, 0.2f, 0.8f, 0.05f, 0.4f];

        // Set aside: 0.95 and 0.9 (25%); suspects: the next two, 0.8 and 0.4.
        Assert.Equal([false, false, false, false, false, true, false, true], BankCleaning.Suspects(scores, 0.25, 0.25));
        Assert.Equal(new bool[8], BankCleaning.Suspects(scores, 0.25, 0));
        // Suspects stop where the set-aside rule stops: the lowest image is never among them.
        Assert.Equal(5, BankCleaning.Suspects(scores, 0.25, 1).Count(s => s));
        Assert.False(BankCleaning.Suspects(scores, 0.25, 1)[6]);
    }

    [Fact]
    public void At_least_one_image_always_stays_for_the_bank()
    {
        Assert.Equal([true, false], BankCleaning.ImagesToSetAside([0.7f, 0.2f], 0.99));
        Assert.Equal([false], BankCleaning.ImagesToSetAside([0.7f], 0.5));
    }

    [Fact]
    public void The_patch_cut_is_the_nearest_rank_quantile_and_quantile_one_keeps_everything()
    {
        var scores = Enumerable.Range(1, 20).Select(i => i / 20f).ToArray(); // 0.05 .. 1.00

        Assert.Equal(0.95f, BankCleaning.PatchCut(scores, 0.95));
        Assert.Equal(0.5f, BankCleaning.PatchCut(scores, 0.5));
        Assert.Equal(0.05f, BankCleaning.PatchCut(scores, 0.01));
        Assert.Equal(float.PositiveInfinity, BankCleaning.PatchCut(scores, 1));
    }

    [Fact]
    public void Ranks_scale_to_zero_one_and_ties_share_their_mean_rank()
    {
        Assert.Equal([0f, 1f, 0.5f], BankCleaning.Ranks([0.1f, 0.9f, 0.5f]));
        // 1.0, 1.0 (saturated scores) share ranks 2 and 3 of 0..3: 2.5 / 3.
        Assert.Equal([0f, 2.5f / 3, 2.5f / 3, 1f / 3], BankCleaning.Ranks([0.2f, 1f, 1f, 0.4f]));
    }

    [Fact]
    public void An_item_either_judge_ranks_high_ranks_high()
    {
        // Item 0 is FUN-AD's most anomalous, item 2 the other judge's; item 1 neither's.
        var combined = BankCleaning.HigherRank([0.9f, 0.1f, 0.2f], [1f, 2f, 30f]);

        Assert.Equal([1f, 0.5f, 1f], combined);
    }
}
