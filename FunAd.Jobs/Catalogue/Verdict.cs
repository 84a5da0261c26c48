namespace FunAd.Jobs.Catalogue;

/// <summary>A reviewer's call on an image.</summary>
public enum Verdict
{
    Normal = 1,
    Defect = 2,
}
