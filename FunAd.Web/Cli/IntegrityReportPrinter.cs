using System.Text.Json;
using FunAd.Jobs.Maintenance;

namespace FunAd.Web.Cli;

/// <summary>The integrity check's report as funad check and funad restore print it: a section per kind of problem found.</summary>
public static class IntegrityReportPrinter
{
    public static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static void Write(TextWriter output, IntegrityReport report)
    {
        output.WriteLine($"data root    {report.Root}");
        output.WriteLine(report.DatabaseChecked
            ? $"catalogue.db {(report.DatabaseOk ? "ok" : "DAMAGED: " + string.Join("; ", report.DatabaseCheck))}"
            : $"catalogue   {report.DatabaseCheck[0]}");
        Section(output, report.TemporaryFiles, "temporary file(s) of interrupted writes (repair deletes them)");
        Section(output, report.MissingImages.Select(m => $"image {m.ImageId}: {m.Path}").ToList(), "image(s) whose file is lost (repair deletes the row, its scores and verdict)");
        Section(output, report.MissingMasks.Select(m => $"image {m.ImageId}: {m.Path}").ToList(), "missing mask(s) (repair forgets them)");
        Section(output, report.MissingThumbnails.Select(m => $"image {m.ImageId}: {m.Path}").ToList(), "missing thumbnail(s) (repair draws them again)");
        Section(output, report.MissingRunFiles.Select(m => $"run {m.RunId}: {m.Path}").ToList(), "missing model file(s) of succeeded runs (not repairable: train the run again or delete it)");
        Section(output, report.MissingHeatmaps.Select(m => $"run {m.RunId}, image {m.ImageId}: {m.Path}").ToList(), "missing heatmap(s) (repair forgets them; the scores stay)");
        Section(output, report.UnreferencedFiles, "file(s) no row references (repair deletes them)");
        Section(output, report.RecentFiles, "recent file(s) left alone (written within the last hour: they may belong to a write in progress)");
        output.WriteLine(report.IsClean ? "result       clean" : $"result       {report.ProblemCount} problem(s): {report.Summary()}");
    }

    private static void Section(TextWriter output, IReadOnlyList<string> lines, string title)
    {
        if (lines.Count == 0) return;
        output.WriteLine($"{lines.Count} {title}:");
        foreach (var line in lines) output.WriteLine($"  {line}");
    }
}
