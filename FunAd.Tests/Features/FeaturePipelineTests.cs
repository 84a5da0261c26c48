using FunAd.Engine.Backbones;
using FunAd.Engine.Features;
using FunAd.Engine.Imaging;
using FunAd.Engine.Models;
using FunAd.Tests.Support;

namespace FunAd.Tests.Features;

public class FeaturePipelineTests
{
    /// <summary>A stand-in backbone that counts its calls: features are the mean of each channel, so they are checkable.</summary>
    private sealed class CountingExtractor : IFeatureExtractor
    {
        public int ImagesSeen { get; private set; }
        public BackboneInfo Info { get; } = new("counting-v1", "counting", 16, 1, 3, 3, "none");
        public int PreferredBatchSize => 2;

        public IReadOnlyList<ImageFeatures> Extract(float[] batch, int count)
        {
            ImagesSeen += count;
            var result = new List<ImageFeatures>();
            for (var i = 0; i < count; i++)
            {
                var means = new float[3];
                for (var c = 0; c < 3; c++)
                    means[c] = batch.AsSpan((i * 3 + c) * 256, 256).ToArray().Average();
                result.Add(new ImageFeatures(means, means));
            }
            return result;
        }

        public void Dispose() { }
    }

    [Fact]
    public void Second_run_takes_every_image_from_the_cache_and_bad_files_are_refused_by_name()
    {
        using var folder = new TemporaryFolder();
        for (var i = 0; i < 5; i++)
        {
            using var crop = TestImages.BrickCrop(i * 60, 10, 48 + i);
            TestImages.Save(crop, folder.Combine("images", $"b{i}.png"));
        }
        File.WriteAllText(folder.Combine("images", "broken.png"), "not a png");
        var sources = ImageFolder.Scan(folder.Combine("images"));
        var extractor = new CountingExtractor();
        var pipeline = new FeaturePipeline(extractor, new FeatureSettings(), new FeatureCache(folder.Combine("cache")), DecodeLimits.Default);
        var reports = new List<FeatureProgress>();

        var first = pipeline.Run(sources, new InlineProgress<FeatureProgress>(reports.Add));
        var second = pipeline.Run(sources);

        Assert.Equal(6, sources.Count);
        Assert.Equal(5, first.Images.Count);
        Assert.Equal("broken.png", Assert.Single(first.Refused).FileName);
        Assert.Equal(5, extractor.ImagesSeen); // the second run computed nothing
        Assert.Equal(first.Images.Select(i => i.Features.Global), second.Images.Select(i => i.Features.Global));
        Assert.Equal(new[] { 48, 49, 50, 51, 52 }, second.Images.Select(i => i.Width));
        Assert.Equal(6, reports[^1].Done);
        // Brick is grey: the three channel means are equal and strictly between black and white.
        Assert.All(first.Images, i => Assert.InRange(i.Features.Global[0], 0.05f, 0.95f));
    }

    [Fact]
    public void Images_keep_the_order_of_the_input_and_their_relative_names()
    {
        using var folder = new TemporaryFolder();
        foreach (var name in new[] { "z.png", "a/b.png", "a/a.png" })
        {
            using var crop = TestImages.BrickCrop(0, 0, 20);
            TestImages.Save(crop, folder.Combine("set", name));
        }

        var sources = ImageFolder.Scan(folder.Combine("set"));
        var run = new FeaturePipeline(new CountingExtractor(), new FeatureSettings(), null, DecodeLimits.Default).Run(sources);

        Assert.Equal(new[] { "a/a.png", "a/b.png", "z.png" }, sources.Select(s => s.Name));
        Assert.Equal(sources.Select(s => s.Name), run.Images.Select(i => i.Source.Name));
    }
}
