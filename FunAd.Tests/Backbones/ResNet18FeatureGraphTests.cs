using FunAd.Engine.Backbones;
using FunAd.Engine.Devices;
using FunAd.Engine.Imaging;
using FunAd.Engine.Onnx.Format;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;

namespace FunAd.Tests.Backbones;

/// <summary>One extractor for the class: opening the 64 MB backbone takes a couple of seconds.</summary>
public sealed class ResNet18Fixture : IDisposable
{
    public ResNet18Fixture() => Extractor = BackboneCatalog.Open("resnet18", ComputeDevice.Resolve(DeviceChoice.Cpu));

    public IFeatureExtractor Extractor { get; }

    public void Dispose() => Extractor.Dispose();
}

public class ResNet18FeatureGraphTests(ResNet18Fixture fixture) : IClassFixture<ResNet18Fixture>
{
    private static float[] BrickInput(int x, int y)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "brick.png");
        var crop = ImageLoader.Load(path, DecodeLimits.Default);
        var pixels = new byte[256 * 256 * 3];
        for (var row = 0; row < 256; row++)
            Array.Copy(crop.Pixels, ((y + row) * crop.Width + x) * 3, pixels, row * 256 * 3, 256 * 3);
        return ImageResizer.ToChw(new RgbImage(256, 256, pixels), 224);
    }

    [Fact]
    public void Gives_a_28x28_grid_of_384_dim_patch_features_and_a_512_dim_global_feature()
    {
        var info = fixture.Extractor.Info;

        Assert.Equal((224, 28, 384, 512), (info.InputSize, info.Grid, info.PatchDim, info.GlobalDim));
        Assert.StartsWith("resnet18-", info.Id);
        var features = fixture.Extractor.Extract(BrickInput(0, 0), 1).Single();
        Assert.Equal(784 * 384, features.Patches.Length);
        Assert.Equal(512, features.Global.Length);
        Assert.All(features.Patches, v => Assert.True(v >= 0 && float.IsFinite(v))); // averages of ReLU outputs
    }

    [Fact]
    public void Matches_the_shipped_preprocessing_and_network_run_unedited()
    {
        var input = BrickInput(100, 60);
        var ours = fixture.Extractor.Extract(input, 1).Single();

        var models = ResNet18FeatureGraph.DefaultModelDirectory;
        var network = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(models, "ResNet18Onnx", "ResNet18.onnx")));
        // Expose stage 2 from the original graph to check the patch recipe as well as the pooled vector.
        network.Graph.Output.Add(network.Graph.ValueInfo.Single(v => v.Name == "ReLU315_Output_0"));
        using var prep = new InferenceSession(Path.Combine(models, "ResNetPrepOnnx", "ResNetPreprocess.onnx"));
        using var net = new InferenceSession(network.ToByteArray());
        var rgb255 = input.Select(v => v * 255f).ToArray();
        using var prepInput = OrtValue.CreateTensorValueFromMemory(rgb255, [1, 3, 224, 224]);
        using var prepOptions = new RunOptions();
        using var prepared = prep.Run(prepOptions, ["OriginalInput"], [prepInput], ["PreprocessedInput"]);
        var bgr = prepared[0].GetTensorDataAsSpan<float>().ToArray();
        using var netInput = OrtValue.CreateTensorValueFromMemory(bgr, [1, 3, 224, 224]);
        using var netOptions = new RunOptions();
        using var outputs = net.Run(netOptions, ["Input247"], [netInput], ["Pooling395_Output_0", "ReLU315_Output_0"]);
        var pooled = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        var stage2 = outputs[1].GetTensorDataAsSpan<float>().ToArray();

        for (var i = 0; i < 512; i++) Assert.Equal(pooled[i], ours.Global[i], 3e-3f);
        // Patch (y, x): its first 128 values are the 3x3 average of stage 2, padding counted as zeros.
        foreach (var (py, px) in new[] { (5, 7), (0, 0), (27, 13) })
        {
            for (var c = 0; c < 128; c += 9)
            {
                double sum = 0;
                for (var dy = -1; dy <= 1; dy++)
                for (var dx = -1; dx <= 1; dx++)
                {
                    int y = py + dy, x = px + dx;
                    if (y is >= 0 and < 28 && x is >= 0 and < 28) sum += stage2[c * 784 + y * 28 + x];
                }
                Assert.Equal((float)(sum / 9), ours.Patches[(py * 28 + px) * 384 + c], 2e-3f);
            }
        }
    }

    [Fact]
    public void An_image_gets_the_same_features_alone_and_in_a_batch()
    {
        var a = BrickInput(0, 0);
        var b = BrickInput(200, 150);
        var c = BrickInput(256, 256);
        var batch = a.Concat(b).Concat(c).ToArray();

        var alone = fixture.Extractor.Extract(b, 1).Single();
        var together = fixture.Extractor.Extract(batch, 3);

        Assert.Equal(3, together.Count);
        for (var i = 0; i < alone.Patches.Length; i += 97) Assert.Equal(alone.Patches[i], together[1].Patches[i], 1e-4f);
        Assert.NotEqual(together[0].Global, together[1].Global);
    }
}

/// <summary>
/// Native objects an ONNX Runtime call uses must outlive the call. A RunOptions made inline and handed
/// to Run is unreachable once its handle is read, so in optimised code a garbage collection during the
/// run let the finaliser free it under the running session: a segfault in libonnxruntime, seen in the
/// benchmarks after a few dozen batches (once tiered compilation had optimised the extractor).
/// </summary>
public class FeatureExtractionUnderCollectionTests(ResNet18Fixture fixture) : IClassFixture<ResNet18Fixture>
{
    [Fact]
    public void Extraction_survives_garbage_collections_and_finalisers_running_during_every_call()
    {
        const int batch = 16;
        var input = new float[batch * 3 * 224 * 224];
        for (var i = 0; i < input.Length; i++) input[i] = (i % 97) / 97f;
        // Enough calls for tiered compilation to optimise Extract, as in a long run: 40 calls, then more
        // until the JIT compiles nothing new over ten of them (the tier-up has landed), not a fixed pause.
        // Other tests compile too, so the wait is capped.
        for (var call = 0; call < 30; call++) fixture.Extractor.Extract(input, 1);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        long compiled;
        do
        {
            compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
            for (var call = 0; call < 10; call++) fixture.Extractor.Extract(input, 1);
        }
        while (System.Runtime.JitInfo.GetCompiledMethodCount() != compiled && DateTime.UtcNow < deadline);
        var expected = fixture.Extractor.Extract(input, batch)[1].Global;
        using var stop = new CancellationTokenSource();
        var collector = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        });
        collector.Start();
        try
        {
            for (var round = 0; round < 10; round++)
                Assert.Equal(expected, fixture.Extractor.Extract(input, batch)[1].Global);
        }
        finally
        {
            stop.Cancel();
            collector.Join();
        }
    }
}
