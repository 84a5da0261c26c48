using System.Text.Json;
using FunAd.Engine.Models;
using FunAd.Engine.Scoring;

namespace FunAd.Tests.Scoring;

public class ImageScoreTests
{
    private static ModelManifest Manifest(string mode, string? rule)
    {
        var settings = new Dictionary<string, JsonElement>();
        if (rule is not null) settings[ImageScore.Setting] = JsonSerializer.SerializeToElement(rule);
        var backbone = new BackboneReference("resnet18", "id", "resnet18", 224, 28, 384, 512, "resize");
        return new ModelManifest(AnomalyMethod.PatchCore, mode, backbone, false, 10, null, "none", settings, DateTimeOffset.UnixEpoch);
    }

    [Fact]
    public void A_model_that_names_no_rule_keeps_the_largest_patch_score_and_semantic_models_always_do()
    {
        Assert.Equal(ImageScore.PatchMax, ImageScore.RuleOf(Manifest("defect", null)));
        Assert.Equal(ImageScore.MapMax, ImageScore.RuleOf(Manifest("defect", ImageScore.MapMax)));
        Assert.Equal(ImageScore.PatchMax, ImageScore.RuleOf(Manifest("semantic", ImageScore.MapMax)));
    }

    [Fact]
    public void An_unknown_rule_is_refused_with_its_name()
    {
        var error = Assert.Throws<InvalidDataException>(() => ImageScore.RuleOf(Manifest("defect", "mean")));

        Assert.Contains("'mean'", error.Message);
        Assert.Contains(ModelManifest.FileName, error.Message);
    }

    [Fact]
    public void The_map_rule_ranks_a_defect_spanning_patches_above_one_stray_patch_that_the_patch_rule_ranks_first()
    {
        const int grid = 28;
        var stray = new float[grid * grid];
        stray[10 * grid + 10] = 1.0f;
        var defect = new float[grid * grid];
        foreach (var (y, x) in new[] { (10, 10), (10, 11), (11, 10), (11, 11) }) defect[y * grid + x] = 0.8f;

        Assert.True(ImageScore.Of(ImageScore.PatchMax, stray, grid, 224) > ImageScore.Of(ImageScore.PatchMax, defect, grid, 224));
        Assert.True(ImageScore.Of(ImageScore.MapMax, defect, grid, 224) > ImageScore.Of(ImageScore.MapMax, stray, grid, 224));
        Assert.Equal(AnomalyMap.Render(defect, grid, 224, 224).Max(), ImageScore.Of(ImageScore.MapMax, defect, grid, 224));
    }
}
