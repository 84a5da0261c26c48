using FunAd.Engine.Features;

namespace FunAd.Engine.Inference;

/// <summary>
/// One scored image: its score, its map at the model's input size, and its own size for resizing the
/// map back; <see cref="OwnRowsLeftOut"/> when it is a memory bank's training image, scored without its own rows.
/// </summary>
public sealed record ScoredFile(ImageSource Source, int Width, int Height, float Score, float[] Map, int MapSize, bool OwnRowsLeftOut = false);
