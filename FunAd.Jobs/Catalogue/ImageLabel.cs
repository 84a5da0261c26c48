namespace FunAd.Jobs.Catalogue;

/// <summary>
/// Ground truth an upload may carry (MVTec-style folders). Training never reads it; it is only for
/// evaluating and filtering.
/// </summary>
public enum ImageLabel
{
    Unlabeled = 0,
    Normal = 1,
    Anomalous = 2,
}
