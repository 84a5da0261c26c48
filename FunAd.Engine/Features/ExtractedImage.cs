using FunAd.Engine.Backbones;

namespace FunAd.Engine.Features;

/// <summary>One image after feature extraction: its features and the original size, for maps at that size.</summary>
public sealed record ExtractedImage(ImageSource Source, string ContentHash, int Width, int Height, ImageFeatures Features);
