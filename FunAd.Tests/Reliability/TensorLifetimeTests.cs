using FunAd.Engine.Baselines.PatchCore;
using FunAd.Engine.Datasets;
using FunAd.Engine.Devices;
using FunAd.Engine.Features;
using FunAd.Engine.Imaging;
using FunAd.Engine.Models;
using FunAd.Engine.Training;
using FunAd.Engine.Workflows;
using FunAd.Tests.Support;
using TorchSharp;
using Xunit.Abstractions;

namespace FunAd.Tests.Reliability;

/// <summary>
/// Every tensor a training run creates on its thread is disposed on that thread before the run
/// returns: none is left to the .NET finalizer thread, whose disposals race libtorch on the next
/// run's thread (the worker crash of issue 15: a reference-count increment on a freed tensor at the
/// start of a run). TorchSharp counts, per thread, the tensors created and disposed there; a tensor
/// the finalizer frees is never counted as disposed on the training thread.
/// </summary>
public sealed class TensorLifetimeTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(AnomalyMethod.FunAd)]
    [InlineData(AnomalyMethod.FunAdBank)]
    [InlineData(AnomalyMethod.PatchCore)]
    public void A_training_run_and_its_export_leave_no_tensor_to_the_finalizer(string method)
    {
        using var folder = new TemporaryFolder();
        var root = TestImages.WriteMvtecLayout(folder.Combine("bricks"), train: 6, testGood: 0, testDefect: 0, size: 64);
        var context = new EngineContext(ComputeDevice.Resolve(DeviceChoice.Cpu), new FeatureCache(folder.Combine("cache")), DecodeLimits.Default);
        var options = FunAdProfiles.Get("fast", semantic: false) with { Epochs = 2, BatchSize = 4, CheckpointEvery = 1 };
        var request = new TrainRequest(MvtecLayout.ReadTrainingSet(root), folder.Combine("model"), method, DetectionMode.Defect,
            "resnet18", new FeatureSettings(), new PatchCoreOptions(), options);

        string? statistics = null;
        long live = -1;
        var thread = new Thread(() =>
        {
            DisposeScopeManager.Statistics.Reset();
            TrainWorkflow.Run(context, request);
            // As the training job goes on: load the model, export it.
            using (var model = ModelDirectory.Load(request.OutputDirectory, context.Device))
                FunAd.Engine.Export.ModelExporter.Export(model, folder.Combine("model.onnx"));
            live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            statistics = DisposeScopeManager.Statistics.ToString();
        });
        thread.Start();
        thread.Join();

        output.WriteLine(statistics);
        Assert.Equal(0, live);
    }
}
