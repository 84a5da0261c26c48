using System.CommandLine;
using FunAd.Engine.Backbones;
using FunAd.Engine.Features;
using FunAd.Engine.MemoryBank;
using FunAd.Engine.Models;
using FunAd.Engine.Training;
using FunAd.Engine.Workflows;

namespace FunAd.Web.Cli;

/// <summary><c>funad train</c>: trains on every image under a folder (unlabeled) and writes a model folder.</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var images = new Option<string>("--images") { Description = "folder of training images (searched recursively, unlabeled)", Required = true };
        var output = new Option<string>("--out") { Description = "model folder to write; a run killed earlier resumes from its checkpoint there", Required = true };
        var method = new Option<string>("--method")
        {
            Description = "funad-bank (FUN-AD, then a memory bank of what it judges normal; the default), funad (FUN-AD's own scores) or patchcore (the memory-bank baseline on every image)",
            DefaultValueFactory = _ => AnomalyMethod.Default,
        };
        var mode = new Option<string>("--mode") { Description = "defect (patch scores and maps) or semantic (one score per image)", DefaultValueFactory = _ => "defect" };
        var profile = new Option<string>("--profile") { Description = "FUN-AD: fast (CPU, minutes) or paper (the paper's schedule, for a GPU)", DefaultValueFactory = _ => FunAdProfiles.Fast };
        var epochs = new Option<int?>("--epochs") { Description = "FUN-AD: number of epochs (overrides the profile)" };
        var set = new Option<string[]>("--set") { Description = "FUN-AD and funad-bank: override any setting, name=value (e.g. lambda=0, bankRefreshInterval=4, setAsideShare=0.2); repeatable", AllowMultipleArgumentsPerToken = false };
        var backbone = new Option<string>("--backbone") { Description = "resnet18 (built in) or the path of a token-contract .onnx file", DefaultValueFactory = _ => BackboneCatalog.Default };
        var seed = new Option<int>("--seed") { Description = "random seed (same seed, data and device give the same model)", DefaultValueFactory = _ => 0 };
        var coreset = new Option<double>("--coreset-ratio") { Description = "patchcore and funad-bank: share of the (kept) patch features the memory bank holds", DefaultValueFactory = _ => CoresetBank.DefaultRatio };
        var validation = new Option<string?>("--validation") { Description = "FUN-AD: a labelled folder in MVTec AD layout (test/good, test/<defect>) to keep the epoch with the best image AUROC; without it the choice needs no labels" };
        var crop = new Option<bool>("--center-crop") { Description = "resize to 256 and crop the central 224 (the paper's protocol; cuts border defects)" };
        var engine = new EngineOptions();
        var command = new Command("train", "Train a model on a folder of unlabeled images (which may contain some defective ones).")
        {
            images, output, method, mode, profile, epochs, set, validation, backbone, seed, coreset, crop,
        };
        engine.AddTo(command);
        command.SetAction((result, cancellation) => CommandRunner.Run(() =>
        {
            var context = engine.CreateContext(result);
            var sources = CommandRunner.ScanImages(result.GetValue(images)!);
            var detection = DetectionModeParser.Parse(result.GetValue(mode));
            var overrides = (result.GetValue(set) ?? []).ToList();
            if (result.GetValue(epochs) is { } count && AnomalyMethod.TrainsFunAd(result.GetValue(method)!)) overrides.Add($"epochs={count}");
            var settings = MethodSettings.Resolve(result.GetValue(method)!, result.GetValue(profile)!, detection, overrides, result.GetValue(seed), result.GetValue(coreset));
            var request = new TrainRequest(sources, result.GetValue(output)!, settings.Method, detection, result.GetValue(backbone)!,
                new FeatureSettings(result.GetValue(crop)), settings.PatchCore, settings.FunAd, result.GetValue(profile)!, result.GetValue(validation), settings.Bank);
            var trained = TerminalProgress.Run(progress => TrainWorkflow.Run(context, request, progress, cancellation));
            CommandRunner.ReportRefused(trained.Refused);
            if (trained.ResumedFromEpoch > 0) Console.WriteLine($"resumed from the checkpoint after epoch {trained.ResumedFromEpoch}");
            Console.WriteLine($"trained {trained.Manifest.Method} ({trained.Manifest.Mode}) on {trained.Used} images -> {Path.GetFullPath(request.OutputDirectory)}");
            if (trained.Manifest.Settings.TryGetValue("selectionRule", out var rule)) Console.WriteLine($"model selection: {rule.GetString()}");
        }));
        return command;
    }
}
