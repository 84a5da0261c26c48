using System.CommandLine;
using FunAd.Jobs.Maintenance;

namespace FunAd.Web.Cli;

/// <summary><c>funad backup --out DIR</c>: a consistent copy of the data root, safe while the app runs (see DataRootBackup).</summary>
public static class BackupCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "the folder to write: new or empty", Required = true };
        var command = new Command("backup", "Back up the data root (FunAd__DataRoot or ./data), also while the app runs: both databases, images, masks, thumbnails, models and heatmaps.") { output };
        command.SetAction((result, cancellation) => CommandRunner.RunAsync(async () =>
        {
            DataRoot.RefuseUnlessSqlite("backup");
            var manifest = await DataRootBackup.CreateAsync(DataRoot.Resolve(), result.GetValue(output)!, new LineProgress(), cancellation);
            var counts = manifest.Counts;
            Console.WriteLine($"backed up {counts.Projects} project(s), {counts.Images} image(s), {counts.Runs} run(s), {counts.Reviews} verdict(s): "
                              + $"{manifest.Databases.Count} database(s) and {manifest.Files.Count} file(s), {manifest.TotalBytes / (1024 * 1024.0):F1} MiB -> {Path.GetFullPath(result.GetValue(output)!)}");
            Console.WriteLine($"left out: {manifest.LeftOut}");
            foreach (var path in manifest.Missing) Console.Error.WriteLine($"warning: {path} is named by the catalogue but was not in the data root");
            if (manifest.Missing.Count > 0) Console.Error.WriteLine($"warning: {manifest.Missing.Count} file(s) were missing from the data root already; funad check lists them");
        }));
        return command;
    }

    /// <summary>Progress lines on stderr, as the other verbs print theirs.</summary>
    internal sealed class LineProgress : IProgress<string>
    {
        public void Report(string value) => Console.Error.WriteLine(value);
    }
}
