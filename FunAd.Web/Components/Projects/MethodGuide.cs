namespace FunAd.Web.Components.Projects;

/// <summary>Which method suits which case, in the words the run dialog shows (from the measurements in docs/benchmarks.md).</summary>
public static class MethodGuide
{
    public const string OneLine =
        "Sets that may hide defects: funad-bank, the default (best measured on average, whether the hidden defects are like the new ones or not). " +
        "Sets known to be clean: PatchCore. FUN-AD alone: the paper's method. " +
        "Only funad-bank's suggested threshold flags about the share of defects the set holds; expect to move the others'.";
}
