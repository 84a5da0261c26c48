using Bunit;
using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Scoring;
using FunAd.Web.Components.Shared;

namespace FunAd.Tests.Web.Components;

/// <summary>The one image tile every grid and gallery draws: its label wording, score badge, heatmap and click.</summary>
public sealed class ImageTileTests : IAsyncLifetime
{
    private readonly BunitContext context = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await context.DisposeAsync();

    [Theory]
    [InlineData(ImageLabel.Anomalous, "crack", "crack")]
    [InlineData(ImageLabel.Anomalous, null, "defective")]
    [InlineData(ImageLabel.Normal, null, "good")]
    public void A_labelled_image_reads_its_defect_type_defective_or_good(ImageLabel label, string? defectType, string expected)
    {
        var cut = context.Render<ImageTile>(p => p.Add(x => x.Name, "a.png").Add(x => x.Label, label).Add(x => x.DefectType, defectType));

        var badge = cut.Find(".funad-tile-label");
        Assert.Equal(expected, badge.TextContent);
        Assert.Contains(label.ToString().ToLowerInvariant(), badge.ClassList);
    }

    [Fact]
    public void An_unlabelled_image_has_no_label_badge()
    {
        var cut = context.Render<ImageTile>(p => p.Add(x => x.Name, "a.png"));

        Assert.Empty(cut.FindAll(".funad-tile-label"));
        Assert.Equal("a.png", cut.Find(".funad-tile-name").TextContent);
    }

    [Fact]
    public void A_defect_with_a_mask_says_so_where_asked()
    {
        var cut = context.Render<ImageTile>(p => p.Add(x => x.Name, "a.png").Add(x => x.Label, ImageLabel.Anomalous).Add(x => x.Mask, true));

        Assert.Equal("defective + mask", cut.Find(".funad-tile-label").TextContent);
    }

    [Fact]
    public void The_score_badge_shows_four_significant_digits_in_its_band_colour()
    {
        var cut = context.Render<ImageTile>(p => p.Add(x => x.Name, "a.png").Add(x => x.Score, 0.876543).Add(x => x.Band, ScoreBand.Ng));

        var score = cut.Find(".funad-score");
        Assert.Equal("0.8765", score.TextContent);
        Assert.Contains("ng", score.ClassList);
    }

    [Fact]
    public void Without_a_score_there_is_no_badge()
    {
        var cut = context.Render<ImageTile>(p => p.Add(x => x.Name, "a.png").Add(x => x.Caption, "a.png · refused: not an image"));

        Assert.Empty(cut.FindAll(".funad-score"));
        Assert.Equal("a.png · refused: not an image", cut.Find(".funad-tile-name").TextContent);
        Assert.Empty(cut.FindAll("img"));
    }

    [Fact]
    public void The_heatmap_lies_over_the_thumbnail_at_the_given_opacity()
    {
        var cut = context.Render<ImageTile>(p => p.Add(x => x.Name, "a.png").Add(x => x.Src, "/t.png").Add(x => x.HeatmapSrc, "/h.png")
            .Add(x => x.HeatmapOpacity, 0.25).Add(x => x.Lazy, true));

        var images = cut.FindAll(".funad-stack img");
        Assert.Equal(["/t.png", "/h.png"], images.Select(i => i.GetAttribute("src")));
        Assert.Equal("opacity: 0.25", cut.Find("img.funad-heat").GetAttribute("style"));
        Assert.All(images, i => Assert.Equal("lazy", i.GetAttribute("loading")));
    }

    [Fact]
    public void Only_a_tile_with_a_click_handler_looks_clickable_and_a_click_reaches_it()
    {
        var clicks = 0;
        var plain = context.Render<ImageTile>(p => p.Add(x => x.Name, "a.png"));
        var clickable = context.Render<ImageTile>(p => p.Add(x => x.Name, "b.png").Add(x => x.ImageId, 42L).Add(x => x.OnClick, () => clicks++));

        Assert.DoesNotContain("funad-clickable", plain.Find(".funad-tile").ClassList);
        Assert.False(plain.Find(".funad-tile").HasAttribute("blazor:onclick"));
        Assert.Null(plain.Find(".funad-tile").GetAttribute("data-image"));
        Assert.Contains("funad-clickable", clickable.Find(".funad-tile").ClassList);
        Assert.Equal("42", clickable.Find(".funad-tile").GetAttribute("data-image"));
        clickable.Find(".funad-tile").Click();
        Assert.Equal(1, clicks);
    }

    [Fact]
    public void A_long_path_keeps_its_number_in_the_caption_and_whole_in_the_tooltip_and_crowded_scores_stay_apart()
    {
        const string name = "concrete.zip/concrete/test/scratch/057.png";
        var cut = context.Render<ImageTile>(p => p.Add(x => x.Name, name).Add(x => x.Score, 0.99973));

        Assert.Equal("scratch/057.png", cut.Find(".funad-tile-name").TextContent);
        Assert.Equal(name, cut.Find(".funad-tile").GetAttribute("title"));
        Assert.Equal("0.99973", cut.Find(".funad-score").TextContent);
        Assert.Equal("0.4567", TileText.Score(0.456712));
        Assert.Equal("0.99981", TileText.Score(0.999812));
        Assert.Equal("0.995", TileText.Score(0.995));
        Assert.Equal("1", TileText.Score(1.0));
    }
}
