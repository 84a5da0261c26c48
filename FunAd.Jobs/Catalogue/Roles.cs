namespace FunAd.Jobs.Catalogue;

/// <summary>The three roles: Admin (users, keys, settings, job dashboard), Editor (upload, train, review), Viewer (read only).</summary>
public static class Roles
{
    public const string Admin = "Admin";
    public const string Editor = "Editor";
    public const string Viewer = "Viewer";

    public static IReadOnlyList<string> All { get; } = [Admin, Editor, Viewer];

    /// <summary>Roles that may change data (upload, train, review).</summary>
    public const string Editors = Admin + "," + Editor;

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);
}
