namespace FunAd.Web.Components.Projects;

/// <summary>Which method suits which case, in the words the run dialog shows (from the measurements in docs/benchmarks.md).</summary>
public static class MethodGuide
{
    public const string OneLine =
        "Sets that may hide defects: the cleaned memory bank (best measured, defects like or unlike the hidden ones). " +
        "FUN-AD alone: the paper's method. PatchCore: only for sets known to be clean.";
}
