namespace FunAd.Web.Cli;

/// <summary>
/// Where the verbs keep files when nothing else is said: the same setting as the web app
/// (environment variable FunAd__DataRoot), else ./data.
/// </summary>
public static class DataRoot
{
    public const string Variable = "FunAd__DataRoot";

    public static string Resolve() => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } root ? Path.GetFullPath(root) : Path.GetFullPath("data");
}
