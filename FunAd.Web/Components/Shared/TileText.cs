using System.Globalization;

namespace FunAd.Web.Components.Shared;

/// <summary>How a tile writes an image's name and score so that they still tell images apart.</summary>
public static class TileText
{
    /// <summary>
    /// The last folder and the file name ("scratch/057.png"): a long upload path cut from its end
    /// would lose the number; the whole path is the tile's tooltip.
    /// </summary>
    public static string ShortName(string name)
    {
        var parts = name.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length <= 2 ? name : $"{parts[^2]}/{parts[^1]}";
    }

    /// <summary>
    /// Four significant digits; just below 1, where scores crowd, two significant digits of the distance
    /// to 1 (0.99973 and 0.99981 are not both "0.9998", and no score short of 1 reads "1").
    /// </summary>
    public static string Score(double score)
    {
        if (score is not (> 0.99 and < 1)) return score.ToString("G4", CultureInfo.InvariantCulture);
        var digits = Math.Min(12, 1 - (int)Math.Floor(Math.Log10(1 - score)));
        return score.ToString("F" + digits, CultureInfo.InvariantCulture).TrimEnd('0');
    }
}
