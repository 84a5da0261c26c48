using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using FunAd.Engine.Workflows;

namespace FunAd.Web.Cli;

/// <summary><c>funad eval</c>: image AUROC, pixel AUROC, AUPRO (FPR &lt;= 0.3) and F1-max on an MVTec-AD-layout test set.</summary>
public static class EvalCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "model folder written by funad train", Required = true };
        var dataset = new Option<string>("--dataset") { Description = "folder in MVTec AD layout (test/good, test/<defect>, ground_truth/<defect>/<name>_mask.png)", Required = true };
        var json = new Option<bool>("--json") { Description = "print the figures as one JSON object" };
        var engine = new EngineOptions();
        var command = new Command("eval", "Measure a model on a labelled test set.") { model, dataset, json };
        engine.AddTo(command);
        command.SetAction((result, cancellation) => CommandRunner.Run(() =>
        {
            var context = engine.CreateContext(result);
            var report = TerminalProgress.Run(progress => EvalWorkflow.Run(context, result.GetValue(model)!, result.GetValue(dataset)!, progress, cancellation));
            if (result.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(report, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
                return;
            }
            static string Percent(double? value) => value is null ? "n/a" : (100 * value.Value).ToString("F2", CultureInfo.InvariantCulture);
            Console.WriteLine($"images      {report.Images} ({report.Anomalous} anomalous{(report.Refused > 0 ? $", {report.Refused} refused" : "")})");
            Console.WriteLine($"image AUROC {Percent(report.ImageAuroc)}");
            Console.WriteLine($"pixel AUROC {Percent(report.PixelAuroc)}");
            Console.WriteLine($"AUPRO@0.3   {Percent(report.Aupro)}");
            Console.WriteLine($"F1-max      {Percent(report.F1Max)} (threshold {report.F1Threshold.ToString("G6", CultureInfo.InvariantCulture)})");
            if (report.PixelNote is not null) Console.WriteLine($"note        {report.PixelNote}");
        }));
        return command;
    }
}
