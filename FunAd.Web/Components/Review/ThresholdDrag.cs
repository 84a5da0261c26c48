namespace FunAd.Web.Components.Review;

/// <summary>A threshold line of the score histogram dragged to <paramref name="Value"/>; <paramref name="Done"/> once the pointer is released.</summary>
public readonly record struct ThresholdDrag(bool IsLow, double Value, bool Done);
