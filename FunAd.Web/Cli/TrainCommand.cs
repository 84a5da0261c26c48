using System.CommandLine;
using FunAd.Engine.Backbones;
using FunAd.Engine.Baselines.PatchCore;
using FunAd.Engine.Features;
using FunAd.Engine.Models;
using FunAd.Engine.Workflows;

namespace FunAd.Web.Cli;

/// <summary><c>funad train</c>: trains on every image under a folder (unlabeled) and writes a model folder.</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var images = new Option<string>("--images") { Description = "folder of training images (searched recursively, unlabeled)", Required = true };
        var output = new Option<string>("--out") { Description = "model folder to write", Required = true };
        var method = new Option<string>("--method") { Description = "patchcore (the memory-bank baseline)", DefaultValueFactory = _ => PatchCoreModel.MethodName };
        var mode = new Option<string>("--mode") { Description = "defect (patch scores and maps) or semantic (one score per image)", DefaultValueFactory = _ => "defect" };
        var backbone = new Option<string>("--backbone") { Description = "resnet18 (built in) or the path of a token-contract .onnx file", DefaultValueFactory = _ => BackboneCatalog.Default };
        var seed = new Option<int>("--seed") { Description = "random seed", DefaultValueFactory = _ => 0 };
        var coreset = new Option<double>("--coreset-ratio") { Description = "PatchCore: share of patch features kept in the memory bank", DefaultValueFactory = _ => 0.1 };
        var crop = new Option<bool>("--center-crop") { Description = "resize to 256 and crop the central 224 (the paper's protocol; cuts border defects)" };
        var engine = new EngineOptions();
        var command = new Command("train", "Train a model on a folder of unlabeled images.") { images, output, method, mode, backbone, seed, coreset, crop };
        engine.AddTo(command);
        command.SetAction((result, cancellation) => CommandRunner.Run(() =>
        {
            var context = engine.CreateContext(result);
            var sources = ImageFolder.Scan(result.GetValue(images)!);
            if (sources.Count == 0) throw new ArgumentException($"{result.GetValue(images)}: no images found (looked for {string.Join(", ", Engine.Imaging.ImageLoader.SupportedExtensions)}).");
            var request = new TrainRequest(sources, result.GetValue(output)!, result.GetValue(method)!, DetectionModeParser.Parse(result.GetValue(mode)),
                result.GetValue(backbone)!, new FeatureSettings(result.GetValue(crop)), new PatchCoreOptions(result.GetValue(coreset), Seed: result.GetValue(seed)));
            var trained = TerminalProgress.Run(progress => TrainWorkflow.Run(context, request, progress, cancellation));
            CommandRunner.ReportRefused(trained.Refused);
            Console.WriteLine($"trained {trained.Manifest.Method} ({trained.Manifest.Mode}) on {trained.Used} images -> {Path.GetFullPath(request.OutputDirectory)}");
        }));
        return command;
    }
}
