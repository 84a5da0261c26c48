using System.Globalization;
using FunAd.Bench.Data;
using FunAd.Engine.Models;

namespace FunAd.Bench.Accuracy;

/// <summary>
/// Texture defects in both contamination protocols (distinct and overlap), for each seed and texture:
/// the methods asked for, trained on the same set, with image and pixel AUROC, AUPRO, the share of
/// images each method's own threshold flags, and the image AUROC on the contaminated training set itself.
/// </summary>
public static class TextureBench
{
    private const int TestGood = 60;
    private const int TestDefective = 60;
    private const int CropSize = 256;

    public static void Run(BenchOptions options)
    {
        var context = BenchContext.Create(options);
        var trainCount = options.Train ?? 200;
        var protocols = options.Protocols.Select(p => Enum.Parse<ContaminationProtocol>(p, ignoreCase: true)).ToArray();
        Console.WriteLine($"# Texture defects (real photographs; stains, scratches, holes, foreign patches), defect mode; train {trainCount} crops {CropSize}x{CropSize} " +
                          $"with {options.Contamination:P0} defective; test {TestGood} good + {TestDefective} defective; protocols: {string.Join(", ", options.Protocols)}; " +
                          $"methods: {string.Join(", ", options.Methods)} ({BenchContext.Describe(options)}); {context.Device.Description}");
        var tables = protocols.ToDictionary(p => p, _ => new[]
        {
            new ResultTable("image AUROC", options.Methods), new ResultTable("pixel AUROC", options.Methods), new ResultTable("AUPRO@0.3", options.Methods),
        });
        Console.WriteLine($"{"texture",-9} {"protocol",-9} {"seed",4} {"method",-12} {"image",7} {"pixel",7} {"AUPRO",7} {"F1-max",7}  flagged test (true)  flagged train (true)  train AUROC  train-s  hidden set aside");
        foreach (var seed in options.Seeds)
        foreach (var name in options.Textures)
        foreach (var protocol in protocols)
        {
            var index = TextureSource.Names.ToList().IndexOf(name);
            if (index < 0) throw new ArgumentException($"Unknown texture '{name}': use {string.Join(", ", TextureSource.Names)}.");
            var root = DefectSet.Write(TextureSource.Locate(options.Work, name), TextureSource.Locate(options.Work, TextureSource.ForeignOf(name)),
                Path.Combine(options.Work, "textures", $"{name}-{trainCount}-{options.Contamination.ToString(CultureInfo.InvariantCulture)}-{protocol.ToString().ToLowerInvariant()}-s{seed}"),
                trainCount, options.Contamination, TestGood, TestDefective, CropSize, seed + index, protocol);
            var image = new List<double>();
            var pixel = new List<double>();
            var aupro = new List<double>();
            foreach (var method in options.Methods)
            {
                var r = MethodRun.Train(context, options, method, root, DetectionMode.Defect, seed);
                image.Add(r.Report.ImageAuroc);
                pixel.Add(r.Report.PixelAuroc ?? double.NaN);
                aupro.Add(r.Report.Aupro ?? double.NaN);
                Console.WriteLine($"{name,-9} {protocol.ToString().ToLowerInvariant(),-9} {seed,4} {method,-12} {100 * r.Report.ImageAuroc,7:F2} {100 * r.Report.PixelAuroc,7:F2} " +
                                  $"{100 * r.Report.Aupro,7:F2} {100 * r.Report.F1Max,7:F2}  {r.FlaggedTest,6:P0} ({r.TrueTest:P0})       {r.FlaggedTrain,6:P0} ({r.TrueTrain:P0})     {100 * r.TrainAuroc,11:F2}  {r.Seconds,6:F0}  {(r.HiddenCaught is { } c ? $"{c}/{(int)Math.Round(r.TrueTrain * trainCount)}" : "-")}");
            }
            tables[protocol][0].Add(seed, name, image);
            tables[protocol][1].Add(seed, name, pixel);
            tables[protocol][2].Add(seed, name, aupro);
        }
        foreach (var (protocol, measures) in tables)
        {
            Console.WriteLine($"# protocol {protocol.ToString().ToLowerInvariant()}");
            foreach (var table in measures)
            {
                table.PrintPerRow();
                table.PrintSummary();
            }
        }
    }
}
