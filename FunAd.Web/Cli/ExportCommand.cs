using System.CommandLine;
using FunAd.Engine.Devices;
using FunAd.Engine.Export;
using FunAd.Engine.Models;

namespace FunAd.Web.Cli;

/// <summary><c>funad export</c>: writes a trained model as one ONNX file (docs/onnx-model.md).</summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "model folder written by funad train", Required = true };
        var output = new Option<string>("--out") { Description = "the .onnx file to write", Required = true };
        var command = new Command("export", "Export a trained model as one ONNX file: image in, pred_score and anomaly_map out.") { model, output };
        command.SetAction((result, _) => CommandRunner.Run(() =>
        {
            using var loaded = ModelDirectory.Load(result.GetValue(model)!, ComputeDevice.Resolve(DeviceChoice.Cpu));
            var path = result.GetValue(output)!;
            ModelExporter.Export(loaded, path);
            Console.WriteLine($"exported {loaded.Manifest.Method} ({loaded.Manifest.Mode}) -> {Path.GetFullPath(path)} ({new FileInfo(path).Length / (1024 * 1024.0):F1} MiB)");
        }));
        return command;
    }
}
