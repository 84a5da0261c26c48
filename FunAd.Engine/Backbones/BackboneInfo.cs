namespace FunAd.Engine.Backbones;

/// <summary>
/// What a backbone produces: for an InputSize x InputSize RGB image, a Grid x Grid grid of
/// PatchDim-dimensional patch features and one GlobalDim-dimensional global feature.
/// </summary>
/// <param name="Id">Stable identity of the weights and of the feature recipe; the feature cache is keyed by it.</param>
/// <param name="Name">What a person calls it ("resnet18", or the user's file name).</param>
/// <param name="Preprocessing">A sentence a person can follow to feed the backbone by hand.</param>
public sealed record BackboneInfo(string Id, string Name, int InputSize, int Grid, int PatchDim, int GlobalDim, string Preprocessing)
{
    public int PatchCount => Grid * Grid;
}
