using FunAd.Engine.Baselines.PatchCore;
using FunAd.Engine.Datasets;
using FunAd.Engine.Devices;
using FunAd.Engine.Features;
using FunAd.Engine.Imaging;
using FunAd.Engine.Inference;
using FunAd.Engine.Models;
using FunAd.Engine.Workflows;
using FunAd.Tests.Support;

namespace FunAd.Tests.Inference;

public class ScoringPipelineTests
{
    [Fact]
    public void Streaming_over_several_batches_keeps_input_order_reports_bad_files_and_scores_each_image_as_alone()
    {
        using var folder = new TemporaryFolder();
        var root = TestImages.WriteMvtecLayout(folder.Combine("bricks"), train: 4, testGood: 0, testDefect: 0);
        var context = new EngineContext(ComputeDevice.Resolve(DeviceChoice.Cpu), new FeatureCache(folder.Combine("cache")), DecodeLimits.Default);
        TrainWorkflow.Run(context, new TrainRequest(MvtecLayout.ReadTrainingSet(root), folder.Combine("model"), AnomalyMethod.PatchCore,
            DetectionMode.Defect, "resnet18", new FeatureSettings(), new PatchCoreOptions(CoresetRatio: 0.5)));
        using var model = ModelDirectory.Load(folder.Combine("model"), context.Device);
        using var scorer = OnnxAnomalyScorer.Open(model, context.Device);

        // More images than one batch holds, with a corrupt file in the first batch and a text file in the second.
        var count = scorer.PreferredBatchSize + 5;
        var sources = new List<ImageSource>();
        for (var i = 0; i < count; i++)
        {
            var path = folder.Combine("score", $"{i:000}.png");
            if (i == 3) { Directory.CreateDirectory(Path.GetDirectoryName(path)!); File.WriteAllBytes(path, [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]); }
            else if (i == scorer.PreferredBatchSize + 2) File.WriteAllText(path, "not an image");
            else
            {
                using var crop = TestImages.BrickCrop(i * 13 % 300, i * 29 % 300, 80 + i % 3 * 16);
                TestImages.Save(crop, path);
            }
            sources.Add(new ImageSource($"{i:000}.png", path));
        }

        var pipeline = new ScoringPipeline(scorer, new FeatureSettings(), DecodeLimits.Default);
        var streamed = new List<(string Name, int Width, float Score, float[] Map)>();
        var refused = pipeline.Stream(sources, (in ScoredImageView image) => streamed.Add((image.Source.Name, image.Width, image.Score, image.Map.ToArray())));

        Assert.Equal(["003.png", $"{scorer.PreferredBatchSize + 2:000}.png"], refused.Select(r => Path.GetFileName(r.FileName)));
        Assert.All(refused, r => Assert.False(string.IsNullOrWhiteSpace(r.Reason)));
        Assert.Equal(sources.Select(s => s.Name).Where(n => !refused.Any(r => Path.GetFileName(r.FileName) == n)), streamed.Select(s => s.Name));
        Assert.Equal(80 + 16, streamed[1].Width);

        // The batch buffers are reused, yet each image's score and map are its own: equal to scoring it alone.
        foreach (var index in new[] { 0, 4, streamed.Count - 1 })
        {
            var alone = pipeline.Run([sources.Single(s => s.Name == streamed[index].Name)]).Images.Single();
            Assert.Equal(alone.Score, streamed[index].Score, 1e-5f);
            Assert.Equal(alone.Map.Length, streamed[index].Map.Length);
            Assert.True(alone.Map.Zip(streamed[index].Map).All(p => Math.Abs(p.First - p.Second) < 1e-4f), $"map of {streamed[index].Name}");
        }
        Assert.NotEqual(streamed[0].Map, streamed[4].Map);
    }
}
