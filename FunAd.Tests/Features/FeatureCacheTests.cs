using FunAd.Engine.Backbones;
using FunAd.Engine.Features;
using FunAd.Tests.Support;

namespace FunAd.Tests.Features;

public class FeatureCacheTests
{
    private static readonly BackboneInfo Info = new("test-backbone", "test", 32, 2, 3, 2, "none");

    [Fact]
    public void Stored_features_come_back_with_the_image_size()
    {
        using var folder = new TemporaryFolder();
        var cache = new FeatureCache(folder.Path);
        var features = new ImageFeatures([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [0.5f, -1]);

        cache.Store("recipe", "abcdef", features, 640, 480);

        Assert.True(cache.TryLoad("recipe", "abcdef", Info, out var loaded, out var width, out var height));
        Assert.Equal(features.Patches, loaded.Patches);
        Assert.Equal(features.Global, loaded.Global);
        Assert.Equal((640, 480), (width, height));
    }

    [Fact]
    public void Another_recipe_or_hash_is_a_miss()
    {
        using var folder = new TemporaryFolder();
        var cache = new FeatureCache(folder.Path);
        cache.Store("recipe", "abcdef", new ImageFeatures(new float[12], new float[2]), 1, 1);

        Assert.False(cache.TryLoad("other-recipe", "abcdef", Info, out _, out _, out _));
        Assert.False(cache.TryLoad("recipe", "abcdee", Info, out _, out _, out _));
    }

    [Fact]
    public void A_truncated_or_mismatched_file_is_a_miss_not_an_error()
    {
        using var folder = new TemporaryFolder();
        var cache = new FeatureCache(folder.Path);
        cache.Store("recipe", "abcdef", new ImageFeatures(new float[12], new float[2]), 1, 1);
        var file = Directory.GetFiles(folder.Path, "*.feat", SearchOption.AllDirectories).Single();

        Assert.False(cache.TryLoad("recipe", "abcdef", Info with { PatchDim = 4 }, out _, out _, out _));
        File.WriteAllBytes(file, File.ReadAllBytes(file)[..30]);
        Assert.False(cache.TryLoad("recipe", "abcdef", Info, out _, out _, out _));
    }
}
