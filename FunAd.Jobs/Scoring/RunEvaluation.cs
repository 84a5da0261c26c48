using FunAd.Jobs.Catalogue;

namespace FunAd.Jobs.Scoring;

/// <summary>
/// Whether a run's metrics are in-sample (its labelled images were trained on too, which flatters a
/// method that remembers its training set, a memory bank most of all) or out-of-sample (held out).
/// Every chart and table that shows a run's metrics says which.
/// </summary>
public static class RunEvaluation
{
    public static string Short(TrainingRun run) => run.HoldOutLabelled ? "held out" : "in-sample";

    public static string Describe(TrainingRun run) => run.HoldOutLabelled
        ? "Out-of-sample: the run trained on the unlabeled images and the training split (train/ folders) and is measured only on the labelled images it held out; verdicts on images it trained on do not count."
        : run.Outcome.OwnRowsLeftOut > 0
            ? "In-sample: the run trained on every image, the labelled ones included (its memory bank scored each without the image's own features, yet the method learnt from them). Start a run that holds labelled images out to measure the method."
            : "In-sample: the run trained on every image, the labelled ones included, so these figures flatter it (a memory bank holds those very images). Start a run that holds labelled images out to measure the method.";
}
