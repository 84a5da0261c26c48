using System.CommandLine;
using FunAd.Engine.Workflows;

namespace FunAd.Web.Cli;

/// <summary><c>funad score</c>: scores every image under a folder with a trained model.</summary>
public static class ScoreCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "model folder written by funad train", Required = true };
        var images = new Option<string>("--images") { Description = "folder of images to score (recursively)", Required = true };
        var output = new Option<string>("--out") { Description = "output folder: scores.csv, and with --maps maps/*.npy and overlays/*.png", Required = true };
        var maps = new Option<bool>("--maps") { Description = "also write anomaly maps (.npy, image size) and heatmap overlays (.png)" };
        var engine = new EngineOptions();
        var command = new Command("score", "Score images with a trained model.") { model, images, output, maps };
        engine.AddTo(command);
        command.SetAction((result, cancellation) => CommandRunner.Run(() =>
        {
            var context = engine.CreateContext(result);
            var sources = CommandRunner.ScanImages(result.GetValue(images)!);
            var scored = TerminalProgress.Run(progress =>
                ScoreWorkflow.Run(context, result.GetValue(model)!, sources, result.GetValue(output)!, result.GetValue(maps), progress, cancellation));
            CommandRunner.ReportRefused(scored.Refused);
            Console.WriteLine($"scored {scored.Scores.Count} images -> {Path.GetFullPath(Path.Combine(result.GetValue(output)!, "scores.csv"))}");
            if (scored.Scores.Count(s => s.OwnRowsLeftOut) is > 0 and var trained)
                Console.WriteLine($"{trained} of them are training images of the memory bank: each scored without its own bank rows, as a new image of its kind would be");
            if (result.GetValue(maps)) Console.WriteLine($"map colour scale: {scored.MapMin:G4} .. {scored.MapMax:G4}");
        }));
        return command;
    }
}
