using FunAd.Engine.Features;

namespace FunAd.Engine.Inference;

/// <summary>
/// One image as it is scored: <see cref="Map"/> (at the model's input size) lies in the pipeline's
/// reused buffer and is valid only while the callback runs; copy what must outlive it.
/// </summary>
public readonly ref struct ScoredImageView(ImageSource source, int width, int height, float score, ReadOnlySpan<float> map, int mapSize,
    bool ownRowsLeftOut = false)
{
    public ImageSource Source { get; } = source;
    public int Width { get; } = width;
    public int Height { get; } = height;
    public float Score { get; } = score;
    public ReadOnlySpan<float> Map { get; } = map;
    public int MapSize { get; } = mapSize;

    /// <summary>The file is a training image of a memory bank, scored without its own bank rows.</summary>
    public bool OwnRowsLeftOut { get; } = ownRowsLeftOut;

    public ScoredFile ToScoredFile() => new(Source, Width, Height, Score, Map.ToArray(), MapSize, OwnRowsLeftOut);
}

/// <summary>Receives each scored image in input order.</summary>
public delegate void ScoredImageHandler(in ScoredImageView image);
