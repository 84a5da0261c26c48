namespace FunAd.Web.Cli;

/// <summary>Where FunAd keeps its files when nothing else is said: FUNAD_DATA_ROOT, else ./data.</summary>
public static class DataRoot
{
    public static string Resolve() => Environment.GetEnvironmentVariable("FUNAD_DATA_ROOT") is { Length: > 0 } root ? root : Path.GetFullPath("data");
}
