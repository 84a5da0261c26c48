using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Scoring;

namespace FunAd.Web.Components.Review;

/// <summary>
/// What the review tabs of a run share: the scored images (highest first), the two thresholds being
/// moved, and the metrics they give. Components change it and call <see cref="Changed"/>.
/// </summary>
public sealed class ReviewState
{
    public ReviewState(TrainingRun run, IReadOnlyList<ScoredImage> images)
    {
        Run = run;
        Images = images.ToList();
        // The sliders need a number where a run has no threshold at all.
        var (low, high) = ScoreBands.ThresholdsOf(run);
        (Low, High) = (double.IsFinite(low) ? low : 0, double.IsFinite(high) ? high : 0);
    }

    public TrainingRun Run { get; }
    public List<ScoredImage> Images { get; }
    public double Low { get; set; }
    public double High { get; set; }
    public double Opacity { get; set; } = 0.5;
    public bool ShowHeatmaps { get; set; } = true;
    public event Action? Changed;

    public double MinScore => Images.Count == 0 ? 0 : Images.Min(i => i.Score);
    public double MaxScore => Images.Count == 0 ? 1 : Images.Max(i => i.Score);

    public RunMetrics Metrics => RunMetrics.Compute(Images, Low, High);

    public ScoreBand BandOf(ScoredImage image) => ScoreBands.Of(image.Score, Low, High);

    /// <summary>Whether the thresholds were moved since they were last saved with the model.</summary>
    public bool Unsaved { get; private set; }

    public void SetThresholds(double low, double high)
    {
        (Low, High) = (Math.Min(low, high), Math.Max(low, high));
        Changed?.Invoke();
    }

    /// <summary>
    /// A reviewer moved a threshold (slider, number, histogram handle, a one-click choice): moving one
    /// past the other pushes it along, so review never ends above NG.
    /// </summary>
    public void MoveThresholds(double low, double high, bool lowMoved)
    {
        if (!double.IsFinite(low) || !double.IsFinite(high)) return;
        if (low > high)
        {
            if (lowMoved) high = low;
            else low = high;
        }
        Unsaved = true;
        SetThresholds(low, high);
    }

    public void MarkSaved()
    {
        Unsaved = false;
        Changed?.Invoke();
    }

    public void SetVerdict(long imageId, Verdict? verdict)
    {
        var index = Images.FindIndex(i => i.ImageId == imageId);
        if (index >= 0) Images[index] = Images[index] with { Verdict = verdict };
        Changed?.Invoke();
    }

    public void NotifyChanged() => Changed?.Invoke();
}
