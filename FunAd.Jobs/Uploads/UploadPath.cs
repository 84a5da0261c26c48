namespace FunAd.Jobs.Uploads;

/// <summary>
/// Checks and normalises the names of uploaded files and archive entries. Names are never used to
/// write files (the store writes by content hash), but a name that tries to leave its folder is a
/// sign of a hostile archive and is refused rather than silently repaired.
/// </summary>
internal static class UploadPath
{
    /// <summary>
    /// Returns the '/'-separated relative path, or false for an absolute path, a drive letter, a ':'
    /// (drive-relative paths, alternate data streams), a '..' segment or a control character. A backslash
    /// counts as a separator, as Windows tools write it, so "..\x" is caught like "../x".
    /// </summary>
    public static bool TryNormalize(string raw, out string path)
    {
        path = "";
        if (string.IsNullOrEmpty(raw) || raw.Any(char.IsControl)) return false;
        var unified = raw.Replace('\\', '/');
        if (unified.StartsWith('/') || unified.Contains(':')) return false;
        var segments = unified.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => s != ".").ToArray();
        if (segments.Length == 0 || segments.Contains("..")) return false;
        path = string.Join('/', segments);
        return true;
    }

    /// <summary>True for a folder entry of an archive ("photos/"), which holds no data of its own.</summary>
    public static bool IsFolder(string raw) => raw.EndsWith('/') || raw.EndsWith('\\');

    /// <summary>The name as it can be shown in a reason: control characters replaced, at most 200 characters.</summary>
    public static string Printable(string raw)
    {
        var cleaned = new string(raw.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return cleaned.Length <= 200 ? cleaned : cleaned[..200] + "...";
    }

    /// <summary>The lower-case extension of the last segment, with its dot ("" when there is none).</summary>
    public static string Extension(string path) => Path.GetExtension(path.AsSpan(path.LastIndexOf('/') + 1)).ToString().ToLowerInvariant();
}
