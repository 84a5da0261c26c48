using FunAd.Jobs.Catalogue;

namespace FunAd.Jobs.Uploads;

/// <summary>
/// An image the project already holds, as an upload sees it: its path decides its place in an MVTec
/// layout (a later batch may bring its "good" sibling or its mask), its hash finds duplicates.
/// </summary>
internal sealed record StoredImage(long Id, string Path, string Hash, int Width, int Height, ImageLabel Label, string? DefectType, bool HasMask);

/// <summary>A stored image whose label the layout now knows (its "good" sibling folder arrived in a later batch).</summary>
internal sealed record StoredRelabel(long Id, ImageLabel Label, string? DefectType);
