using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Scoring;

namespace FunAd.Tests.Scoring;

public sealed class ThresholdChoicesTests
{
    private static ScoredImage Image(double score, ImageLabel label, Verdict? verdict = null) =>
        new(0, $"{score}", score, label, null, false, verdict, false, 8, 8);

    // Ten normals scoring 0.0..0.9, four defects scoring 0.55, 0.85, 0.95, 0.99, two unlabeled images.
    private static readonly ScoredImage[] Images =
    [
        .. Enumerable.Range(0, 10).Select(i => Image(i / 10.0, ImageLabel.Normal)),
        Image(0.55, ImageLabel.Anomalous), Image(0.85, ImageLabel.Anomalous), Image(0.95, ImageLabel.Anomalous), Image(0.99, ImageLabel.Anomalous),
        Image(0.97, ImageLabel.Unlabeled), Image(0.05, ImageLabel.Unlabeled),
    ];

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(0.1, 1)]
    [InlineData(0.25, 2)]
    [InlineData(0.5, 5)]
    public void At_most_the_false_alarm_share_of_normals_is_flagged_and_no_lower_threshold_keeps_that_promise(double share, int flagged)
    {
        var threshold = ThresholdChoices.AtMostFalseAlarms(Images, share)!.Value;
        var normals = Images.Where(i => i.IsDefect == false).ToList();
        Assert.Equal(flagged, normals.Count(i => i.Score >= threshold));
        // The next normal score down would flag one more than allowed.
        var lower = normals.Where(i => i.Score < threshold).Max(i => i.Score);
        Assert.True(normals.Count(i => i.Score >= lower) > share * normals.Count);
    }

    [Fact]
    public void A_reviewers_verdict_counts_as_ground_truth_and_without_normals_there_is_no_choice()
    {
        // The 0.97 unlabeled image called normal by a reviewer becomes the highest-scoring normal.
        var withVerdict = Images.Select(i => i.Score == 0.97 ? i with { Verdict = Verdict.Normal } : i).ToList();
        Assert.True(ThresholdChoices.AtMostFalseAlarms(withVerdict, 0)!.Value > 0.97);
        Assert.Null(ThresholdChoices.AtMostFalseAlarms([Image(0.5, ImageLabel.Anomalous)], 0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ThresholdChoices.AtMostFalseAlarms(Images, 1.5));
    }

    [Fact]
    public void The_best_f1_threshold_separates_what_it_can()
    {
        var best = ThresholdChoices.BestF1(Images)!.Value;
        var flagged = Images.Where(i => i.IsDefect is not null && i.Score >= best).ToList();
        // 0.85, 0.95, 0.99 and the normal 0.9: F1 = 0.75; every other cut scores at most 2/3 on these scores.
        Assert.Equal(0.85, best, 6);
        Assert.Equal(4, flagged.Count);
        Assert.Null(ThresholdChoices.BestF1([Image(0.5, ImageLabel.Unlabeled)]));
    }

    [Fact]
    public void Review_starts_below_the_suggestion_at_half_as_many_images_as_it_flags()
    {
        // Four flagged: the next two below go to review.
        Assert.Equal(0.3, ReviewBand.ReviewFrom(0.5, [0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9]));
        // One or none flagged: still the next one below.
        Assert.Equal(0.2, ReviewBand.ReviewFrom(0.5, [0.1, 0.2, 0.9]));
        Assert.Equal(0.2, ReviewBand.ReviewFrom(0.5, [0.1, 0.2]));
        // More wanted than there are: down to the lowest.
        Assert.Equal(0.1, ReviewBand.ReviewFrom(0.5, [0.1, 0.6, 0.7, 0.8, 0.9, 0.95]));
        // Nothing below: no band.
        Assert.Equal(0.5, ReviewBand.ReviewFrom(0.5, [0.6, 0.9]));
    }
}
