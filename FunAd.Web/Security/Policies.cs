namespace FunAd.Web.Security;

/// <summary>Authorization policies: any signed-in user or key reads; Editors and Admins change data; Admins manage.</summary>
public static class Policies
{
    public const string Editor = "Editor";
    public const string Admin = "Admin";
}
