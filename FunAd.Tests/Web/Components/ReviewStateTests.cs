using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Scoring;
using FunAd.Web.Components.Review;
using static FunAd.Tests.Web.Components.ReviewData;

namespace FunAd.Tests.Web.Components;

public sealed class ReviewStateTests
{
    [Theory]
    [InlineData(0.29, ScoreBand.Ok)]
    [InlineData(0.30, ScoreBand.Review)]
    [InlineData(0.59, ScoreBand.Review)]
    [InlineData(0.60, ScoreBand.Ng)]
    [InlineData(0.95, ScoreBand.Ng)]
    public void A_score_is_ok_below_the_low_threshold_review_between_and_ng_from_the_high_one(double score, ScoreBand band)
    {
        var state = new ReviewState(Run(low: 0.3, high: 0.6), [Image(1, score)]);

        Assert.Equal(band, state.BandOf(state.Images[0]));
    }

    [Fact]
    public void Without_saved_thresholds_both_start_at_the_suggestion()
    {
        var state = new ReviewState(Run(low: null, high: null, suggested: 0.42), []);

        Assert.Equal(0.42, state.Low);
        Assert.Equal(0.42, state.High);
    }

    [Fact]
    public void SetThresholds_puts_the_lower_one_first_and_says_so()
    {
        var state = new ReviewState(Run(), [Image(1, 0.5)]);
        var changes = 0;
        state.Changed += () => changes++;

        state.SetThresholds(0.8, 0.2);

        Assert.Equal(0.2, state.Low);
        Assert.Equal(0.8, state.High);
        Assert.Equal(1, changes);
    }

    [Fact]
    public void Moving_one_threshold_past_the_other_pushes_it_along_and_marks_them_unsaved_until_saved()
    {
        var state = new ReviewState(Run(), [Image(1, 0.5)]);
        Assert.False(state.Unsaved);

        state.MoveThresholds(0.9, 0.6, lowMoved: true);
        Assert.Equal((0.9, 0.9, true), (state.Low, state.High, state.Unsaved));

        state.MoveThresholds(0.9, 0.3, lowMoved: false);
        Assert.Equal((0.3, 0.3), (state.Low, state.High));

        state.MoveThresholds(double.NaN, 0.5, lowMoved: true);
        Assert.Equal((0.3, 0.3), (state.Low, state.High));

        state.MarkSaved();
        Assert.False(state.Unsaved);
    }

    [Fact]
    public void SetVerdict_replaces_only_that_images_verdict_and_says_so()
    {
        var given = new List<ScoredImage> { Image(1, 0.9), Image(2, 0.5, verdict: Verdict.Normal), Image(3, 0.1) };
        var state = new ReviewState(Run(), given);
        var changes = 0;
        state.Changed += () => changes++;

        state.SetVerdict(2, Verdict.Defect);
        state.SetVerdict(1, Verdict.Normal);
        state.SetVerdict(2, null);

        Assert.Equal(3, changes);
        Assert.Equal([1L, 2L, 3L], state.Images.Select(i => i.ImageId));
        Assert.Equal([Verdict.Normal, null, null], state.Images.Select(i => i.Verdict));
        Assert.Equal(given[1] with { Verdict = null }, state.Images[1]);
        // The list the state was made from is left as it was.
        Assert.Equal(Verdict.Normal, given[1].Verdict);
        Assert.Null(given[0].Verdict);
    }

    [Fact]
    public void A_verdict_on_an_image_not_in_the_run_changes_no_image()
    {
        var state = new ReviewState(Run(), [Image(1, 0.9)]);

        state.SetVerdict(99, Verdict.Defect);

        Assert.Null(Assert.Single(state.Images).Verdict);
    }

    [Fact]
    public void The_metrics_follow_the_thresholds_and_the_verdicts()
    {
        var state = new ReviewState(Run(low: 0.3, high: 0.6),
        [
            Image(1, 0.9, ImageLabel.Anomalous), Image(2, 0.7, ImageLabel.Normal), Image(3, 0.5, ImageLabel.Anomalous),
            Image(4, 0.4), Image(5, 0.2, ImageLabel.Normal), Image(6, 0.1, ImageLabel.Normal),
        ]);

        var before = state.Metrics;
        Assert.Equal((2, 2, 2), (before.Ok, before.Review, before.Ng));
        Assert.Equal(new ConfusionMatrix(1, 1, 1, 2), before.Confusion);

        state.SetThresholds(0.15, 0.45);
        var after = state.Metrics;
        Assert.Equal((1, 2, 3), (after.Ok, after.Review, after.Ng));
        Assert.Equal(new ConfusionMatrix(2, 0, 1, 2), after.Confusion);

        // A verdict outranks the uploaded label (image 2) and gives the unlabelled image 4 ground truth.
        state.SetVerdict(2, Verdict.Defect);
        state.SetVerdict(4, Verdict.Defect);
        Assert.Equal(new ConfusionMatrix(3, 1, 0, 2), state.Metrics.Confusion);
        Assert.Equal((4, 2), (state.Metrics.Defects, state.Metrics.Normals));
    }

    [Fact]
    public void Score_range_is_zero_to_one_without_images_and_the_scores_range_with_them()
    {
        Assert.Equal((0.0, 1.0), (new ReviewState(Run(), []).MinScore, new ReviewState(Run(), []).MaxScore));
        var state = new ReviewState(Run(), [Image(1, 2.5), Image(2, -0.5), Image(3, 1)]);
        Assert.Equal((-0.5, 2.5), (state.MinScore, state.MaxScore));
    }
}
