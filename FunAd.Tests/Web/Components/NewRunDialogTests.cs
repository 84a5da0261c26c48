using System.Text.Json;
using Bunit;
using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Projects;
using FunAd.Tests.Support;
using FunAd.Web.Components.Projects;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace FunAd.Tests.Web.Components;

/// <summary>The run dialog's question about the expected share of defects: what the run then records, and how it follows the advanced table.</summary>
public sealed class NewRunDialogTests : IAsyncLifetime
{
    private readonly CatalogueFixture catalogue = new();
    private readonly TemporaryFolder files = new();
    private readonly BunitContext context = new();
    private int projectId;

    public async Task InitializeAsync()
    {
        context.Services.AddMudServices();
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        context.Services.AddSingleton(new JobParts(catalogue, new RecordingJobClient()).Launcher());
        context.AddAuthorization().SetAuthorized("someone@funad.test");
        var project = await catalogue.AddProjectAsync();
        projectId = project.Id;
        using var crop = TestImages.BrickCrop(0, 0, 32);
        await catalogue.AddImagesAsync(projectId, [TestImages.Save(crop, files.Combine("brick/001.png"))]);
    }

    public async Task DisposeAsync()
    {
        await context.DisposeAsync();
        catalogue.Dispose();
        files.Dispose();
    }

    private async Task<IRenderedComponent<MudDialogProvider>> OpenAsync(LabelCounts? labels = null)
    {
        var provider = context.Render<MudDialogProvider>();
        var dialogs = context.Services.GetRequiredService<IDialogService>();
        await provider.InvokeAsync(() => dialogs.ShowAsync<NewRunDialog>("New run",
            new DialogParameters<NewRunDialog> { { d => d.ProjectId, projectId }, { d => d.Mode, "defect" }, { d => d.Labels, labels } }));
        provider.WaitForElement("#start-run");
        return provider;
    }

    /// <summary>The answer the expected-share select shows.</summary>
    private static string ExpectedShareShown(IRenderedComponent<MudDialogProvider> provider) =>
        ExpectedShare(provider).Find("input").GetAttribute("value") ?? "";

    private static IRenderedComponent<MudSelect<string>> ExpectedShare(IRenderedComponent<MudDialogProvider> provider) =>
        provider.FindComponents<MudSelect<string>>().Single(s => s.Instance.Label == "Defective images you expect in this set");

    private static string SetAsideInTable(IRenderedComponent<MudDialogProvider> provider) =>
        provider.Find("input.funad-param[data-name='setAsideShare']").GetAttribute("value") ?? "";

    private static string ThresholdInTable(IRenderedComponent<MudDialogProvider> provider) =>
        provider.Find("input.funad-param[data-name='thresholdQuantile']").GetAttribute("value") ?? "";

    private static string SuspectsInTable(IRenderedComponent<MudDialogProvider> provider) =>
        provider.Find("input.funad-param[data-name='suspectShare']").GetAttribute("value") ?? "";

    [Fact]
    public async Task Unsure_the_run_keeps_its_profile_and_the_default_share()
    {
        var provider = await OpenAsync();
        Assert.Equal(ExpectedDefectShare.NotSure.Label, ExpectedShareShown(provider));
        Assert.Equal("0.15", SetAsideInTable(provider));
        Assert.Equal("0", SuspectsInTable(provider));
        Assert.Equal("auto", ThresholdInTable(provider));

        provider.Find("#start-run").Click();
        var (run, settings) = await WaitForRunAsync();
        Assert.Equal("fast", run.Profile);
        Assert.Empty(settings.GetProperty("overrides").EnumerateObject());
        Assert.Equal(0.15, settings.GetProperty("resolved").GetProperty("bank").GetProperty("setAsideShare").GetDouble());
        // Left to the mode: the 95th percentile in defect mode.
        Assert.False(settings.GetProperty("resolved").GetProperty("bank").TryGetProperty("thresholdQuantile", out var quantile)
                     && quantile.ValueKind != JsonValueKind.Null);
    }

    [Fact]
    public async Task Few_defects_sets_aside_five_percent_without_making_the_run_custom()
    {
        var provider = await OpenAsync();
        await provider.InvokeAsync(() => ExpectedShare(provider).Instance.ValueChanged.InvokeAsync("few"));
        // The advanced table shows what the run will use.
        provider.WaitForAssertion(() => Assert.Equal("0.05", SetAsideInTable(provider)));
        Assert.Equal("0", SuspectsInTable(provider));

        provider.Find("#start-run").Click();
        var (run, settings) = await WaitForRunAsync();
        Assert.Equal("fast", run.Profile);
        // Few defects: 5% set aside; no suspects' patches are cut, as by default.
        Assert.Equal(["setAsideShare=0.05"],
            settings.GetProperty("overrides").EnumerateObject().Select(o => $"{o.Name}={o.Value.GetString()}").Order());
        Assert.Equal(0.05, settings.GetProperty("resolved").GetProperty("bank").GetProperty("setAsideShare").GetDouble());
        Assert.Equal(0, settings.GetProperty("resolved").GetProperty("bank").GetProperty("suspectShare").GetDouble());
    }

    [Fact]
    public async Task Typing_a_share_in_the_advanced_table_moves_the_answer_with_it()
    {
        var provider = await OpenAsync();
        provider.Find("input.funad-param[data-name='setAsideShare']").Change("0.25");
        provider.WaitForAssertion(() => Assert.Equal("As typed in the advanced table: set aside 25%", ExpectedShareShown(provider)));
        // Many means its suspects and its lower threshold percentile too.
        provider.Find("input.funad-param[data-name='thresholdQuantile']").Change("0.9");
        provider.WaitForAssertion(() => Assert.Equal("As typed in the advanced table: set aside 25%", ExpectedShareShown(provider)));
        provider.Find("input.funad-param[data-name='suspectShare']").Change("0.15");
        provider.WaitForAssertion(() => Assert.Equal(ExpectedDefectShare.Get("many").Label, ExpectedShareShown(provider)));
        provider.Find("input.funad-param[data-name='thresholdQuantile']").Change("auto");
        provider.Find("input.funad-param[data-name='setAsideShare']").Change("0.15");
        // The default share with suspects cut is an answer of the table's own, until the suspects go back to none.
        provider.WaitForAssertion(() => Assert.Equal("As typed in the advanced table: set aside 15%", ExpectedShareShown(provider)));
        provider.Find("input.funad-param[data-name='suspectShare']").Change("0");
        provider.WaitForAssertion(() => Assert.Equal(ExpectedDefectShare.NotSure.Label, ExpectedShareShown(provider)));
        provider.Find("input.funad-param[data-name='setAsideShare']").Change("0.05");
        provider.WaitForAssertion(() => Assert.Equal(ExpectedDefectShare.Get("few").Label, ExpectedShareShown(provider)));
        provider.Find("input.funad-param[data-name='setAsideShare']").Change("0.4");
        provider.WaitForAssertion(() => Assert.Equal("As typed in the advanced table: set aside 40%", ExpectedShareShown(provider)));

        provider.Find("#start-run").Click();
        var (run, settings) = await WaitForRunAsync();
        // An edited table makes the run custom, and the typed value is the one it keeps.
        Assert.Equal("custom", run.Profile);
        Assert.Equal(0.4, settings.GetProperty("resolved").GetProperty("bank").GetProperty("setAsideShare").GetDouble());
    }

    private static Task PurposeAsync(IRenderedComponent<MudDialogProvider> provider, bool holdOut) =>
        provider.InvokeAsync(() => provider.FindComponent<MudRadioGroup<bool>>().Instance.ValueChanged.InvokeAsync(holdOut));

    [Fact]
    public async Task A_project_labelled_a_fifth_defective_starts_at_many_while_the_run_trains_on_every_image()
    {
        // An MVTec-style upload: 60 of 320 images in test/<defect> folders.
        var provider = await OpenAsync(new LabelCounts(320, 200, 60, 60, 60));
        Assert.Equal(ExpectedDefectShare.Get("many").Label, ExpectedShareShown(provider));
        Assert.Equal("0.25", SetAsideInTable(provider));
        Assert.Equal("0.9", ThresholdInTable(provider));
        Assert.Equal("0.15", SuspectsInTable(provider));
        Assert.Contains("60 of 320 images (19%) are labelled defective", provider.Find("#run-expected-share-reason").TextContent);

        // Held out, the labelled images are not trained on: the labels say nothing of the training set's share.
        await PurposeAsync(provider, holdOut: true);
        provider.WaitForAssertion(() => Assert.Equal(ExpectedDefectShare.NotSure.Label, ExpectedShareShown(provider)));
        Assert.Equal("0.15", SetAsideInTable(provider));
        Assert.Equal("auto", ThresholdInTable(provider));
        Assert.Empty(provider.FindAll("#run-expected-share-reason"));
        await PurposeAsync(provider, holdOut: false);
        provider.WaitForAssertion(() => Assert.Equal(ExpectedDefectShare.Get("many").Label, ExpectedShareShown(provider)));

        provider.Find("#start-run").Click();
        var (run, settings) = await WaitForRunAsync();
        Assert.Equal("fast", run.Profile);
        Assert.Equal(["setAsideShare=0.25", "suspectShare=0.15", "thresholdQuantile=0.9"],
            settings.GetProperty("overrides").EnumerateObject().Select(o => $"{o.Name}={o.Value.GetString()}").Order());
        Assert.Equal(0.9, settings.GetProperty("resolved").GetProperty("bank").GetProperty("thresholdQuantile").GetDouble());
    }

    [Fact]
    public async Task Few_labelled_defects_leave_the_question_open()
    {
        var provider = await OpenAsync(new LabelCounts(320, 280, 20, 20, 20));
        Assert.Equal(ExpectedDefectShare.NotSure.Label, ExpectedShareShown(provider));
        Assert.Empty(provider.FindAll("#run-expected-share-reason"));
    }

    [Fact]
    public async Task A_reviewers_answer_stays_whatever_the_runs_purpose()
    {
        var provider = await OpenAsync(new LabelCounts(100, 50, 25, 25, 0));
        Assert.Equal(ExpectedDefectShare.Get("many").Label, ExpectedShareShown(provider));
        await provider.InvokeAsync(() => ExpectedShare(provider).Instance.ValueChanged.InvokeAsync(ExpectedDefectShare.NotSure.Key));
        provider.WaitForAssertion(() => Assert.Equal(ExpectedDefectShare.NotSure.Label, ExpectedShareShown(provider)));
        Assert.Empty(provider.FindAll("#run-expected-share-reason"));
        // Once answered, the purpose no longer moves the answer.
        await PurposeAsync(provider, holdOut: true);
        await PurposeAsync(provider, holdOut: false);
        Assert.Equal(ExpectedDefectShare.NotSure.Label, ExpectedShareShown(provider));
        Assert.Equal("0.15", SetAsideInTable(provider));
    }

    private async Task<(TrainingRun Run, JsonElement Settings)> WaitForRunAsync()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            await using (var db = await catalogue.Factory.CreateDbContextAsync())
                if (await db.Runs.AsNoTracking().SingleOrDefaultAsync() is { } run)
                    return (run, JsonDocument.Parse(run.ParametersJson).RootElement.Clone());
            await Task.Delay(50);
        }
        throw new TimeoutException("The dialog started no run.");
    }
}
