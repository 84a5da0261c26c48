using System.CommandLine;
using FunAd.Jobs.Maintenance;

namespace FunAd.Web.Cli;

/// <summary>
/// <c>funad restore --from DIR [--force]</c>: a backup into the data root (see DataRootRestore), then
/// the integrity check of the result. Exit 0 when restored and clean, 1 otherwise.
/// </summary>
public static class RestoreCommand
{
    public static Command Create()
    {
        var from = new Option<string>("--from") { Description = "a folder written by funad backup", Required = true };
        var force = new Option<bool>("--force")
        {
            Description = $"restore even though the data root holds a catalogue: the current catalogue, job queue and projects/ are moved into {DataRootRestore.MovedAsidePrefix}<time>/ first",
        };
        var command = new Command("restore", "Restore a backup into the data root (FunAd__DataRoot or ./data); stop the app on that data root first.") { from, force };
        command.SetAction((result, cancellation) => CommandRunner.RunAsync(async () =>
        {
            DataRoot.RefuseUnlessSqlite("restore");
            var outcome = await DataRootRestore.RestoreAsync(result.GetValue(from)!, DataRoot.Resolve(), result.GetValue(force), new BackupCommand.LineProgress(), cancellation);
            var manifest = outcome.Manifest;
            Console.WriteLine($"restored {manifest.Counts.Projects} project(s), {manifest.Counts.Images} image(s), {manifest.Counts.Runs} run(s) "
                              + $"from the backup of {manifest.CreatedAt:u} into {outcome.Check.Root}");
            if (outcome.MovedAside is { } aside) Console.WriteLine($"the previous catalogue, job queue and projects/ are in {aside}");
            Console.WriteLine("the feature cache is rebuilt on demand");
            IntegrityReportPrinter.Write(Console.Out, outcome.Check);
            if (!outcome.Check.IsClean)
                throw new InvalidOperationException($"restored, but the check found {outcome.Check.ProblemCount} problem(s): {outcome.Check.Summary()}; funad check --repair fixes what can be fixed");
        }));
        return command;
    }
}
