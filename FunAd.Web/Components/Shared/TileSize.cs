namespace FunAd.Web.Components.Shared;

/// <summary>How large the tiles of a grid are: the reviewer's choice, the number of columns follows from the grid's width.</summary>
public enum TileSize
{
    Small,
    Medium,
    Large,
}

/// <summary>The pixel sizes behind <see cref="TileSize"/> and how many columns fit a width.</summary>
public static class TileSizes
{
    private const int Gap = 8, Padding = 16, Caption = 38;

    public static int MinWidth(TileSize size) => size switch { TileSize.Small => 120, TileSize.Large => 260, _ => 170 };

    public static int ImageHeight(TileSize size) => size switch { TileSize.Small => 100, TileSize.Large => 220, _ => 150 };

    /// <summary>Height of one grid row: the image, the caption line and the gap.</summary>
    public static int RowHeight(TileSize size) => ImageHeight(size) + Caption;

    /// <summary>Columns of at least the size's width that fit <paramref name="width"/> pixels; at least one.</summary>
    public static int Columns(TileSize size, int width) => Math.Max(1, (width - Padding + Gap) / (MinWidth(size) + Gap));
}
