using Bunit;
using FunAd.Jobs.Audit;
using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Projects;
using FunAd.Tests.Support;
using FunAd.Web.Components.Projects;
using FunAd.Web.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace FunAd.Tests.Web.Components;

/// <summary>The image detail opened from the project grid: what it shows, relabel and leave out of training, delete after confirming, read only for viewers.</summary>
public sealed class ImageDetailDialogTests : IAsyncLifetime
{
    private readonly CatalogueFixture catalogue = new();
    private readonly TemporaryFolder files = new();
    private readonly BunitContext context = new();
    private long imageId;

    public async Task InitializeAsync()
    {
        context.Services.AddMudServices();
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        var audit = new AuditLog(catalogue.Factory);
        context.Services.AddSingleton(new ImageCuration(catalogue.Factory, audit));
        context.Services.AddSingleton(new CatalogueDeletion(catalogue.Factory, catalogue.Store, audit));
        var project = await catalogue.AddProjectAsync();
        using (var crop = TestImages.BrickCrop(0, 0, 32))
            await catalogue.AddImagesAsync(project.Id, [TestImages.Save(crop, files.Combine("brick/007.png"))]);
        await using var db = await catalogue.Factory.CreateDbContextAsync();
        imageId = await db.Images.Select(i => i.Id).SingleAsync();
        var run = new TrainingRun { ProjectId = project.Id, Method = "funad", Profile = "fast", ParametersJson = "{}", Status = RunStatus.Succeeded };
        run.Thresholds.Low = 0.2;
        run.Thresholds.High = 0.4;
        db.Runs.Add(run);
        await db.SaveChangesAsync();
        db.Scores.Add(new ScoreResult { RunId = run.Id, ImageId = imageId, Score = 0.5 });
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync()
    {
        await context.DisposeAsync();
        catalogue.Dispose();
        files.Dispose();
    }

    private void SignIn(string policy)
    {
        var auth = context.AddAuthorization();
        auth.SetAuthorized("someone@funad.test");
        if (policy == Policies.Editor) auth.SetPolicies(Policies.Editor);
    }

    private async Task<(IRenderedComponent<MudDialogProvider> Provider, IDialogReference Dialog)> OpenAsync()
    {
        var provider = context.Render<MudDialogProvider>();
        var dialogs = context.Services.GetRequiredService<IDialogService>();
        IDialogReference? dialog = null;
        await provider.InvokeAsync(async () => dialog = await dialogs.ShowAsync<ImageDetailDialog>("Image",
            new DialogParameters<ImageDetailDialog> { { d => d.ImageId, imageId } }));
        provider.WaitForElement("#detail-name");
        return (provider, dialog!);
    }

    private async Task<ImageAsset?> StoredAsync()
    {
        await using var db = await catalogue.Factory.CreateDbContextAsync();
        return await db.Images.AsNoTracking().SingleOrDefaultAsync(i => i.Id == imageId);
    }

    [Fact]
    public async Task It_shows_the_whole_name_and_the_score_of_every_run_with_a_link_into_the_run()
    {
        SignIn(Policies.Editor);
        var (provider, _) = await OpenAsync();

        Assert.EndsWith("007.png", provider.Find("#detail-name").TextContent.Trim());
        var row = provider.Find("#detail-runs tbody tr");
        Assert.Contains("funad", row.TextContent);
        Assert.Contains("NG", row.QuerySelector(".funad-score.ng")!.TextContent);
        Assert.EndsWith($"?image={imageId}", row.QuerySelector("a")!.GetAttribute("href"));
    }

    [Fact]
    public async Task An_editor_relabels_an_image_and_leaves_it_out_of_training()
    {
        SignIn(Policies.Editor);
        var (provider, _) = await OpenAsync();
        Assert.True(provider.Find("#detail-save").HasAttribute("disabled"));

        provider.FindAll("#detail-label input")[2].Click();
        provider.WaitForElement("#detail-defect-type").Input("scratch");
        provider.Find("input#detail-left-out, #detail-left-out input").Change(true);
        provider.Find("#detail-save").Click();

        provider.WaitForAssertion(() => Assert.True(provider.Find("#detail-save").HasAttribute("disabled")));
        var stored = await StoredAsync();
        Assert.Equal((ImageLabel.Anomalous, "scratch", true), (stored!.Label, stored.DefectType, stored.LeftOutOfTraining));
    }

    [Fact]
    public async Task Delete_asks_first_and_then_removes_the_image()
    {
        SignIn(Policies.Editor);
        var (provider, dialog) = await OpenAsync();

        provider.Find("#detail-delete").Click();
        provider.WaitForAssertion(() => Assert.Contains(provider.FindAll("button"), b => b.TextContent.Contains("Delete for good")));
        Assert.NotNull(await StoredAsync());
        provider.FindAll("button").Single(b => b.TextContent.Contains("Delete for good")).Click();

        var result = await dialog.Result;
        Assert.Equal(ImageDetailDialog.ChangedResult, result!.Data);
        Assert.Null(await StoredAsync());
    }

    [Fact]
    public async Task A_viewer_sees_the_label_but_cannot_change_or_delete()
    {
        SignIn("viewer");
        var (provider, _) = await OpenAsync();

        Assert.Contains("unlabeled", provider.Find("#detail-label-text").TextContent);
        Assert.Empty(provider.FindAll("#detail-save"));
        Assert.Empty(provider.FindAll("#detail-delete"));
        Assert.Empty(provider.FindAll("#detail-label"));
    }
}
