namespace FunAd.Web.Components.Projects;

/// <summary>Which method suits which case, in the words the run dialog shows (from the measurements in docs/benchmarks.md).</summary>
public static class MethodGuide
{
    public const string OneLine =
        "Sets that may hide defects: funad-bank, the default (on texture defects as accurate as PatchCore, ahead on whole-image classes, " +
        "and it shows which images it set aside as likely defective). PatchCore: as accurate on textures and three times faster to train. " +
        "FUN-AD alone: the paper's method. Only funad-bank's suggested threshold flags about the share of defects the set holds; expect to move the others'.";
}

