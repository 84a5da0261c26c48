namespace FunAd.Jobs.Training;

/// <summary>
/// Which images a run that measures the method (it holds labelled images out) may train on: those with
/// no label, and those an MVTec-style upload puts in its training split (a folder named <c>train</c>,
/// as in <c>train/good</c>), whose "good" label is the layout's claim about the training set, not held-out
/// evidence. Every other labelled image is held out, and only images the run did not train on count
/// in its metrics.
/// </summary>
public static class TrainingSplit
{
    public const string FolderName = "train";

    public static bool Contains(string originalName) =>
        originalName.Split('/', '\\').SkipLast(1).Any(s => s.Equals(FolderName, StringComparison.OrdinalIgnoreCase));
}
