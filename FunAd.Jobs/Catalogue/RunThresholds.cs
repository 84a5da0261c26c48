namespace FunAd.Jobs.Catalogue;

/// <summary>
/// A run's OK/review/NG thresholds: scores below <see cref="Low"/> are OK, from Low up to
/// <see cref="High"/> need a review, from High up an image is NG. Part of <see cref="TrainingRun"/>
/// (an EF Core complex type); null until scoring suggests a threshold or a reviewer sets them.
/// </summary>
public sealed class RunThresholds
{
    public double? Low { get; set; }
    public double? High { get; set; }

    /// <summary>
    /// Starts NG at the label-free suggestion and review at <paramref name="review"/> (see
    /// <see cref="Scoring.ReviewBand"/>), leaving any a reviewer already set.
    /// </summary>
    internal void Suggest(double threshold, double? review)
    {
        High ??= threshold;
        Low ??= Math.Min(High.Value, review ?? threshold);
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless both are numbers and low is not above high.</summary>
    internal static void Check(double low, double high)
    {
        if (!double.IsFinite(low) || !double.IsFinite(high)) throw new ArgumentException("Thresholds must be numbers.");
        if (low > high) throw new ArgumentException($"The review threshold ({low:G4}) must not be above the NG threshold ({high:G4}).");
    }
}
