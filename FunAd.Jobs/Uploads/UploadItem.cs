using FunAd.Jobs.Catalogue;

namespace FunAd.Jobs.Uploads;

/// <summary>Where an item stands; every item ends as Committed, Duplicate or Refused.</summary>
internal enum ItemState
{
    Pending,
    Committed,
    Duplicate,
    Refused,
}

/// <summary>
/// One file or archive entry of an upload on its way to a verdict: what its name says it is, and what
/// reading, decoding, storing and saving made of it.
/// </summary>
internal sealed class UploadItem(string name, string path, ItemSource? source)
{
    /// <summary>The name shown in the verdict (archive entries prefixed with the archive's name).</summary>
    public string Name { get; } = name;
    /// <summary>The normalised '/'-separated path the layout rules read ("" when the name was refused).</summary>
    public string Path { get; } = path;
    public ItemSource? Source { get; } = source;

    public bool IsMask { get; set; }
    public ImageLabel Label { get; set; }
    public string? DefectType { get; set; }

    public ItemState State { get; private set; }
    public string? Reason { get; private set; }
    /// <summary>For duplicates: the image already in the project, or the item of this upload it repeats.</summary>
    public long? DuplicateOfImageId { get; private set; }
    public UploadItem? DuplicateOfItem { get; private set; }

    // An image's stored form, set once it is decoded and written.
    public string? Hash { get; set; }
    public string? StoredPath { get; set; }
    public string? ThumbnailPath { get; set; }
    public long SizeBytes { get; set; }
    public int Width { get; set; }
    public int Height { get; set; }
    /// <summary>The image's stored mask (relative path) once one is attached.</summary>
    public string? MaskPath { get; set; }
    public long? ImageId { get; set; }

    /// <summary>On a mask: the image of this upload it belongs to. On an image: its mask item, once attached.</summary>
    public UploadItem? Partner { get; set; }

    /// <summary>On a mask: the image the project already holds that it belongs to (its image came in an earlier batch or upload).</summary>
    public StoredImage? StoredPartner { get; set; }

    public static UploadItem RefusedAt(string name, string reason)
    {
        var item = new UploadItem(name, "", null);
        item.Refuse(reason);
        return item;
    }

    public void Refuse(string reason)
    {
        State = ItemState.Refused;
        Reason = reason;
    }

    public void MarkDuplicate(string reason, long? imageId, UploadItem? item)
    {
        State = ItemState.Duplicate;
        Reason = reason;
        DuplicateOfImageId = imageId;
        DuplicateOfItem = item;
    }

    public void MarkCommitted(long? imageId)
    {
        State = ItemState.Committed;
        ImageId = imageId;
    }
}
