using System.CommandLine;
using FunAd.Engine.Devices;
using FunAd.Engine.Inference;
using FunAd.Engine.Models;

namespace FunAd.Web.Cli;

/// <summary><c>funad bench</c>: how fast a trained model scores on this machine, beside its bare backbone.</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "model folder written by funad train", Required = true };
        var images = new Option<int>("--images") { Description = "images per timed round", DefaultValueFactory = _ => 64 };
        var device = new Option<string>("--device") { Description = "auto (CUDA when available), cpu or cuda", DefaultValueFactory = _ => "auto" };
        var command = new Command("bench", "Measure scoring throughput (scores and maps) against the bare backbone, in one run.") { model, images, device };
        command.SetAction((result, _) => CommandRunner.Run(() =>
        {
            var compute = ComputeDevice.Resolve(DeviceChoiceParser.Parse(result.GetValue(device)));
            using var loaded = ModelDirectory.Load(result.GetValue(model)!, compute);
            Console.WriteLine($"device: {compute.Description}; {result.GetValue(images)} images per round, best of 5 interleaved rounds");
            foreach (var figure in ThroughputProbe.Measure(loaded, compute, result.GetValue(images)))
                Console.WriteLine($"{figure.Name,-70} {figure.ImagesPerSecond,8:F1} images/s  ratio {figure.RatioToBackbone:F2}");
        }));
        return command;
    }
}
