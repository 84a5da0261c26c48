using FunAd.Engine.Baselines.PatchCore;
using FunAd.Engine.Datasets;
using FunAd.Engine.Devices;
using FunAd.Engine.Features;
using FunAd.Engine.Imaging;
using FunAd.Engine.Models;
using FunAd.Engine.Training;
using FunAd.Engine.Workflows;
using FunAd.Tests.Support;

namespace FunAd.Tests.Training;

public class ValidationSelectionTests
{
    [Fact]
    public void A_labelled_validation_folder_chooses_the_kept_epoch_and_the_model_says_so()
    {
        using var folder = new TemporaryFolder();
        var root = TestImages.WriteMvtecLayout(folder.Combine("bricks"), train: 4, testGood: 2, testDefect: 2, size: 64);
        var context = new EngineContext(ComputeDevice.Resolve(DeviceChoice.Cpu), new FeatureCache(folder.Combine("cache")), DecodeLimits.Default);
        var options = FunAdProfiles.Get("fast", semantic: false) with { Epochs = 2, BatchSize = 4, CheckpointEvery = 1 };
        var request = new TrainRequest(MvtecLayout.ReadTrainingSet(root), folder.Combine("model"), AnomalyMethod.FunAd, DetectionMode.Defect,
            "resnet18", new FeatureSettings(), new PatchCoreOptions(), options, ValidationDirectory: root);

        var trained = TrainWorkflow.Run(context, request);

        Assert.StartsWith("validation:", trained.Manifest.Settings["selectionRule"].GetString());
        Assert.All(trained.History!, h => Assert.InRange(h.ValidationScore!.Value, 0, 1));
    }
}
