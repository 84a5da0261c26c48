using System.Globalization;
using FunAd.Bench.Data;
using FunAd.Engine.Backbones;
using FunAd.Engine.Datasets;
using FunAd.Engine.Features;
using FunAd.Engine.Metrics;
using FunAd.Engine.Models;
using FunAd.Engine.Workflows;

namespace FunAd.Bench.Accuracy;

/// <summary>
/// Fashion-MNIST one-vs-rest with contamination: for each seed and class, the standard yardsticks
/// (kNN-k, k = 1, 5, 10, cosine, on the same global features) beside the methods asked for, each
/// trained through the product's own workflow and scored through its exported model.
/// </summary>
public static class SemanticBench
{
    /// <summary>The four classes every method finds hardest (their kNN-10 is the lowest).</summary>
    public static readonly int[] HardClasses = [0, 2, 4, 6];
    private static readonly int[] Ks = [1, 5, 10];

    public static void Run(BenchOptions options)
    {
        var context = BenchContext.Create(options);
        var train = FashionMnist.Load(FashionMnist.DefaultFolder, train: true);
        var test = FashionMnist.Load(FashionMnist.DefaultFolder, train: false);
        var trainCount = options.Train ?? 550;
        var (testNormal, testAnomalous) = (options.TestNormal ?? 500, options.TestAnomalous ?? 500);
        Console.WriteLine($"# Fashion-MNIST one-vs-rest, semantic mode; train {trainCount} images with {options.Contamination:P0} from other classes; " +
                          $"test {testNormal} normal + {testAnomalous} other; methods: {string.Join(", ", options.Methods)} ({BenchContext.Describe(options)}); {context.Device.Description}");
        var columns = Ks.Select(k => $"kNN-{k}").Concat(options.Methods).ToArray();
        var table = new ResultTable("image AUROC", columns);
        using var extractor = BackboneCatalog.Open(BackboneCatalog.Default, context.Device);
        foreach (var seed in options.Seeds)
        {
            Console.WriteLine($"## seed {seed}");
            Console.WriteLine($"{"class",-11}" + string.Concat(columns.Select(c => $" {c,10}")) + "   flagged test/train by each method's threshold (true share), train-s");
            foreach (var c in options.Classes)
            {
                var root = SemanticSet.Write(train, test, c, trainCount, options.Contamination, testNormal, testAnomalous, seed,
                    Path.Combine(options.Work, "fashion", $"{c}-{options.Contamination.ToString(CultureInfo.InvariantCulture)}-s{seed}"));
                var values = new List<double>();
                var (trainFeatures, testFeatures, labels) = GlobalFeatures(context, extractor, root);
                foreach (var k in Ks) values.Add(Auroc.Compute(NearestNeighbourYardstick.Scores(trainFeatures, testFeatures, k), labels));
                var notes = new List<string>();
                foreach (var method in options.Methods)
                {
                    var result = MethodRun.Train(context, options, method, root, DetectionMode.Semantic, seed);
                    values.Add(result.Report.ImageAuroc);
                    notes.Add($"{result.FlaggedTest:P0}/{result.FlaggedTrain:P0} ({result.TrueTest:P0}/{result.TrueTrain:P0}) {result.Seconds:F0}s");
                }
                table.Add(seed, FashionMnist.ClassNames[c], values);
                Console.WriteLine($"{FashionMnist.ClassNames[c],-11}" + string.Concat(values.Select(v => $" {100 * v,10:F2}")) + "   " + string.Join("; ", notes));
                if (options.Curves) SemanticCurves.Print(context, options, root, seed, FashionMnist.ClassNames[c]);
            }
        }
        table.PrintSummary(HardClasses.Where(options.Classes.Contains).Select(c => FashionMnist.ClassNames[c]).ToArray());
    }

    /// <summary>The global features of the training images and of the labelled test images (cached like training's).</summary>
    public static (List<float[]> Train, List<float[]> Test, bool[] Labels) GlobalFeatures(EngineContext context, IFeatureExtractor extractor, string root)
    {
        var trainRun = context.ExtractFeatures(extractor, new FeatureSettings(), MvtecLayout.ReadTrainingSet(root), null, default);
        var labelled = MvtecLayout.ReadTestSet(root);
        var testRun = context.ExtractFeatures(extractor, new FeatureSettings(), labelled.Select(l => l.Source).ToList(), null, default);
        var truth = labelled.ToDictionary(l => l.Source.Path, l => l.IsAnomalous);
        return (trainRun.Images.Select(i => i.Features.Global).ToList(), testRun.Images.Select(i => i.Features.Global).ToList(),
            testRun.Images.Select(i => truth[i.Source.Path]).ToArray());
    }
}
