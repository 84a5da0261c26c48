using FunAd.Engine.Baselines.PatchCore;
using FunAd.Engine.Datasets;
using FunAd.Engine.Devices;
using FunAd.Engine.Evaluation;
using FunAd.Engine.Features;
using FunAd.Engine.Imaging;
using FunAd.Engine.Inference;
using FunAd.Engine.Models;
using FunAd.Engine.Workflows;
using FunAd.Tests.Support;

namespace FunAd.Tests.Baselines;

public class PatchCoreTests
{
    private static EngineContext Context(TemporaryFolder folder) =>
        new(ComputeDevice.Resolve(DeviceChoice.Cpu), new FeatureCache(folder.Combine("cache")), DecodeLimits.Default);

    [Fact]
    public void Painted_stains_on_real_brick_score_above_clean_brick_and_the_map_peaks_on_the_stain()
    {
        using var folder = new TemporaryFolder();
        var root = TestImages.WriteMvtecLayout(folder.Combine("bricks"));
        var context = Context(folder);
        var request = new TrainRequest(MvtecLayout.ReadTrainingSet(root), folder.Combine("model"), AnomalyMethod.PatchCore,
            DetectionMode.Defect, "resnet18", new FeatureSettings(), new PatchCoreOptions(CoresetRatio: 0.25));

        var trained = TrainWorkflow.Run(context, request);
        var test = MvtecLayout.ReadTestSet(root);
        var report = EvalWorkflow.Run(context, request.OutputDirectory, root);

        Assert.Equal(6, trained.Used);
        Assert.Equal(6, test.Count);
        Assert.Equal(1.0, report.ImageAuroc);
        Assert.True(report.PixelAuroc > 0.9, $"pixel AUROC {report.PixelAuroc}");
        Assert.True(report.Aupro > 0.5, $"AUPRO {report.Aupro}");

        // The map as the app makes it: the exported graph's map, resized to the image.
        using var model = ModelDirectory.Load(request.OutputDirectory, context.Device);
        using var scorer = OnnxAnomalyScorer.Open(model, context.Device);
        var stained = test.First(t => t.IsAnomalous);
        var scored = new ScoringPipeline(scorer, new FeatureSettings(), DecodeLimits.Default).Run([stained.Source]).Images.Single();
        var map = ScoreWorkflow.MapAtImageSize(scored);
        var mask = GroundTruthMask.Load(stained.MaskPath!, scored.Width, scored.Height, DecodeLimits.Default);
        Assert.True(mask[Array.IndexOf(map, map.Max())], "the hottest pixel of the map lies on the stain");
    }

    [Fact]
    public void A_saved_model_scores_exactly_like_the_one_in_memory()
    {
        using var folder = new TemporaryFolder();
        var root = TestImages.WriteMvtecLayout(folder.Combine("bricks"), train: 4, testGood: 1, testDefect: 1);
        var context = Context(folder);
        using var extractor = Engine.Backbones.BackboneCatalog.Open("resnet18", context.Device);
        var images = context.ExtractFeatures(extractor, new FeatureSettings(), MvtecLayout.ReadTrainingSet(root), null, default).Images;
        var info = extractor.Info;
        var backbone = new BackboneReference("resnet18", info.Id, info.Name, info.InputSize, info.Grid, info.PatchDim, info.GlobalDim, info.Preprocessing);

        using var model = PatchCoreTrainer.Fit(images, DetectionMode.Defect, backbone, new FeatureSettings(), new PatchCoreOptions(0.5, Seed: 3), context.Device);
        model.Save(folder.Combine("model"));
        using var loaded = ModelDirectory.Load(folder.Combine("model"), context.Device);

        Assert.Equal((int)Math.Ceiling(4 * 784 * 0.5), model.BankSize);
        Assert.Equal("patchcore", loaded.Manifest.Method);
        Assert.Equal(model.ScorePatches(images[0].Features), loaded.ScorePatches(images[0].Features));
        Assert.All(model.ScorePatches(images[0].Features), s => Assert.True(s >= 0));
    }

    [Fact]
    public void Semantic_mode_scores_one_global_feature_per_image()
    {
        using var folder = new TemporaryFolder();
        var root = TestImages.WriteMvtecLayout(folder.Combine("bricks"), train: 3, testGood: 1, testDefect: 1);
        var context = Context(folder);
        var request = new TrainRequest(MvtecLayout.ReadTrainingSet(root), folder.Combine("model"), AnomalyMethod.PatchCore,
            DetectionMode.Semantic, "resnet18", new FeatureSettings(), new PatchCoreOptions(CoresetRatio: 1));

        TrainWorkflow.Run(context, request);
        var report = EvalWorkflow.Run(context, request.OutputDirectory, root);

        Assert.Equal("semantic", ModelDirectory.ReadManifest(request.OutputDirectory).Mode);
        Assert.Null(report.PixelAuroc);
        Assert.Equal("semantic model: no pixel maps", report.PixelNote);
    }
}
