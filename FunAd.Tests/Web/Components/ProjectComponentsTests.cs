using Bunit;
using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Projects;
using FunAd.Tests.Support;
using FunAd.Web.Components.Projects;
using FunAd.Web.Components.Shared;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace FunAd.Tests.Web.Components;

public sealed class ProjectComponentsTests : IAsyncLifetime
{
    private readonly CatalogueFixture catalogue = new();
    private readonly BunitContext context = new();

    public Task InitializeAsync()
    {
        context.Services.AddMudServices();
        context.Services.AddSingleton(new ProjectCatalogue(catalogue.Factory, new BackboneFolder(catalogue.Root)));
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await context.DisposeAsync();
        catalogue.Dispose();
    }

    private async Task<int> ProjectWithRowsAsync(int count)
    {
        var project = await catalogue.AddProjectAsync();
        await using var db = await catalogue.Factory.CreateDbContextAsync();
        for (var i = 0; i < count; i++)
        {
            db.Images.Add(new ImageAsset
            {
                ProjectId = project.Id, ContentHash = $"{i:x64}", OriginalName = $"img{i:00000}.png", StoredPath = $"x/{i}.png",
                Label = i % 10 == 0 ? ImageLabel.Anomalous : ImageLabel.Normal, DefectType = i % 10 == 0 ? "scratch" : null,
            });
        }
        await db.SaveChangesAsync();
        return project.Id;
    }

    [Fact]
    public async Task The_image_grid_renders_only_rows_near_the_view_of_ten_thousand_images()
    {
        var id = await ProjectWithRowsAsync(10_000);

        var cut = context.Render<ImageGrid>(p => p.Add(x => x.ProjectId, id));
        cut.WaitForState(() => cut.FindAll(".funad-tile").Count > 0, TimeSpan.FromSeconds(10));

        // bUnit has no layout, so Virtualize assumes a default viewport: still a small share of the 10,000.
        var tiles = cut.FindAll(".funad-tile");
        Assert.InRange(tiles.Count, TileGrid<ImageAsset>.DefaultColumns, 1000);
        Assert.Equal("/files/images/1/thumbnail", tiles[0].QuerySelector("img")!.GetAttribute("src"));
        Assert.Equal("scratch", tiles[0].QuerySelector(".funad-tile-label")!.TextContent);
        Assert.Equal("good", tiles[1].QuerySelector(".funad-tile-label")!.TextContent);
    }

    [Fact]
    public async Task The_image_grid_filters_by_label()
    {
        var id = await ProjectWithRowsAsync(40);

        var cut = context.Render<ImageGrid>(p => p.Add(x => x.ProjectId, id).Add(x => x.Label, ImageLabel.Anomalous));
        cut.WaitForState(() => cut.FindAll(".funad-tile").Count > 0, TimeSpan.FromSeconds(10));

        Assert.Equal(4, cut.FindAll(".funad-tile").Count);
        Assert.All(cut.FindAll(".funad-tile-label"), l => Assert.Equal("scratch", l.TextContent));
    }

    [Fact]
    public async Task The_upload_panel_shows_progress_then_every_verdict_and_the_counts()
    {
        var id = await ProjectWithRowsAsync(0);
        var accepted = 0;
        var cut = context.Render<UploadPanel>(p => p.Add(x => x.ProjectId, id).Add(x => x.OnAccepted, () => accepted++));

        await cut.InvokeAsync(() => cut.Instance.OnStarted(3, 3 * 1024 * 1024));
        await cut.InvokeAsync(() => cut.Instance.OnProgress(1024 * 1024));
        Assert.Contains("Uploading 3 file(s)", cut.Find("#upload-status").TextContent);
        // One batch's verdicts arrive in two chunks, then the batch's count of accepted files.
        await cut.InvokeAsync(() => cut.Instance.OnVerdicts([new("a.png", "accepted", null), new("b.png", "duplicate", "same content as a.png")]));
        await cut.InvokeAsync(() => cut.Instance.OnVerdicts([new("c.txt", "refused", "not an image (.txt)")]));
        await cut.InvokeAsync(() => cut.Instance.OnBatchDone(1));
        await cut.InvokeAsync(() => cut.Instance.OnFinished(null));

        Assert.Equal(1, accepted);
        Assert.Contains("1 accepted", cut.Find("#count-accepted").TextContent);
        Assert.Contains("1 duplicates", cut.Find("#count-duplicate").TextContent);
        Assert.Contains("1 refused", cut.Find("#count-refused").TextContent);
        Assert.Contains("not an image (.txt)", cut.Find("#upload-verdicts").TextContent);
        Assert.Contains("Done: 1 accepted, 1 duplicates, 1 refused", cut.Find("#upload-status").TextContent);
        Assert.Contains(context.JSInterop.Invocations, i => i.Identifier == "import" && Equals(i.Arguments[0], "./js/upload.js"));
    }

    [Fact]
    public async Task A_failed_upload_says_why()
    {
        var id = await ProjectWithRowsAsync(0);
        var cut = context.Render<UploadPanel>(p => p.Add(x => x.ProjectId, id));

        await cut.InvokeAsync(() => cut.Instance.OnStarted(1, 10));
        await cut.InvokeAsync(() => cut.Instance.OnFinished("the server answered 413"));

        Assert.Contains("Upload stopped: the server answered 413", cut.Find("#upload-status").TextContent);
        Assert.Empty(cut.FindAll("#upload-failed"));
    }

    [Fact]
    public async Task An_upload_that_could_not_send_everything_offers_a_retry_of_the_rest()
    {
        var id = await ProjectWithRowsAsync(0);
        var cut = context.Render<UploadPanel>(p => p.Add(x => x.ProjectId, id));
        cut.WaitForAssertion(() => Assert.Contains(context.JSInterop.Invocations, i => i.Identifier == "attach"));

        await cut.InvokeAsync(() => cut.Instance.OnStarted(150, 1000));
        await cut.InvokeAsync(() => cut.Instance.OnVerdicts([new UploadPanel.UploadVerdict("a.png", "accepted", null)]));
        await cut.InvokeAsync(() => cut.Instance.OnFinished("the connection failed", 50));

        Assert.Contains("50 file(s) were not sent", cut.Find("#upload-failed").TextContent);
        cut.Find("#upload-retry").Click();
        Assert.Contains(context.JSInterop.Invocations, i => i.Identifier == "resume");
        // The retry's start keeps the verdicts so far.
        await cut.InvokeAsync(() => cut.Instance.OnStarted(50, 300));
        Assert.Contains("a.png", cut.Find("#upload-verdicts").TextContent);
        Assert.Empty(cut.FindAll("#upload-failed"));
    }
}
