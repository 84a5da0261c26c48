using System.CommandLine;
using System.Text.Json;
using FunAd.Engine.Imaging;
using FunAd.Jobs.Maintenance;
using FunAd.Jobs.Storage;

namespace FunAd.Web.Cli;

/// <summary>
/// <c>funad check [--repair] [--json]</c>: the data root against its catalogue (see IntegrityCheck).
/// Exit 0 when clean (or repaired), 1 when problems remain. Safe beside the running app: files
/// written within the last hour are left alone.
/// </summary>
public static class CheckCommand
{
    public static Command Create()
    {
        var repair = new Option<bool>("--repair")
        {
            Description = "fix what can be fixed: delete temporary and unreferenced files, the rows of lost images (with their scores and verdicts), forget missing masks and heatmaps, draw missing thumbnails again",
        };
        var json = new Option<bool>("--json") { Description = "print the report as one JSON object" };
        var command = new Command("check", "Check the data root (FunAd__DataRoot or ./data) against the catalogue, and optionally repair it.") { repair, json };
        command.SetAction((result, cancellation) => CommandRunner.RunAsync(async () =>
        {
            var catalogue = new DataRootCatalogue(DataRoot.Resolve(), DataRoot.Database());
            await catalogue.EnsureCurrentAsync(cancellation);
            var check = new IntegrityCheck(catalogue, new ArtifactStore(catalogue.Root), DecodeLimits.Default);
            IntegrityReport remaining;
            if (result.GetValue(repair))
            {
                var outcome = await check.RepairAsync(IntegrityCheck.RecentWrites, cancellation);
                if (result.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(outcome, IntegrityReportPrinter.Json));
                else
                {
                    foreach (var action in outcome.Actions) Console.WriteLine($"repaired     {action}");
                    if (outcome.Actions.Count == 0) Console.WriteLine("repaired     nothing to repair");
                    IntegrityReportPrinter.Write(Console.Out, outcome.After);
                }
                remaining = outcome.After;
            }
            else
            {
                remaining = await check.CheckAsync(IntegrityCheck.RecentWrites, cancellation);
                if (result.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(remaining, IntegrityReportPrinter.Json));
                else IntegrityReportPrinter.Write(Console.Out, remaining);
            }
            if (!remaining.IsClean)
                throw new InvalidOperationException(result.GetValue(repair)
                    ? $"{remaining.ProblemCount} problem(s) remain after the repair: {remaining.Summary()}"
                    : $"{remaining.ProblemCount} problem(s) found: {remaining.Summary()}; funad check --repair fixes what can be fixed");
        }));
        return command;
    }
}
