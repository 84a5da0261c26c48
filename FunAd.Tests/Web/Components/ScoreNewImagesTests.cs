using Bunit;
using FunAd.Engine.Devices;
using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Scoring;
using FunAd.Jobs.Training;
using FunAd.Web.Components.Review;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using static FunAd.Tests.Web.Components.ReviewData;

namespace FunAd.Tests.Web.Components;

/// <summary>
/// Scoring new images before a model is involved: the empty panel and every way an upload is refused.
/// Scoring through a real exported model needs a trained run; that path is covered by the API and browser tests.
/// </summary>
public sealed class ScoreNewImagesTests : ReviewComponentTest
{
    private static readonly byte[] NotReallyAPng = [0x89, 0x50, 0x4E, 0x47, 1, 2, 3];

    public ScoreNewImagesTests()
    {
        Context.Services.AddSingleton(new RunInference(Catalogue.Factory, Catalogue.Store, new EngineDevice(() => ComputeDevice.Resolve(DeviceChoice.Cpu))));
        SignInAsEditor();
    }

    [Fact]
    public void A_viewer_is_told_scoring_needs_an_editor_and_gets_no_file_input()
    {
        using var viewerContext = new Bunit.BunitContext();
        viewerContext.Services.AddSingleton(new RunInference(Catalogue.Factory, Catalogue.Store, new EngineDevice(() => ComputeDevice.Resolve(DeviceChoice.Cpu))));
        viewerContext.Services.AddMudServices();
        var auth = viewerContext.AddAuthorization();
        auth.SetAuthorized("viewer@x");
        auth.SetRoles(FunAd.Jobs.Catalogue.Roles.Viewer);

        var cut = viewerContext.Render<ScoreNewImages>(p => p.Add(x => x.RunId, 1));

        Assert.Contains("needs the Editor or Admin role", cut.Find("#score-needs-editor").TextContent);
        Assert.Empty(cut.FindAll("input#score-files"));
    }

    [Fact]
    public void Before_an_upload_it_offers_a_file_input_and_shows_nothing_else()
    {
        var cut = Context.Render<ScoreNewImages>(p => p.Add(x => x.RunId, 1));

        Assert.Contains($"Up to {ScoringLimits.Default.MaxImages} images", cut.Find("#score-new").TextContent);
        var input = cut.Find("input#score-files");
        Assert.Equal("file", input.GetAttribute("type"));
        Assert.True(input.HasAttribute("multiple"));
        Assert.Equal("image/*", input.GetAttribute("accept"));
        Assert.Empty(cut.FindAll("#score-error"));
        Assert.Empty(cut.FindAll("#score-results .funad-tile"));
        Assert.Empty(cut.FindAll(".mud-progress-linear"));
    }

    [Fact]
    public void Images_for_a_run_that_does_not_exist_get_an_error_not_a_crash()
    {
        var cut = Context.Render<ScoreNewImages>(p => p.Add(x => x.RunId, 999));

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(NotReallyAPng, "a.png"));

        cut.WaitForAssertion(() => Assert.Equal("Run 999 does not exist.", cut.Find("#score-error").TextContent.Trim()));
        Assert.Empty(cut.FindAll("#score-results .funad-tile"));
        Assert.Empty(cut.FindAll(".mud-progress-linear"));
    }

    [Fact]
    public async Task Images_for_a_run_still_training_are_refused_with_its_status()
    {
        var (run, _) = await SeedRunAsync(Catalogue, [new SeedImage("a.png", 0.5)], RunStatus.Running);
        var cut = Context.Render<ScoreNewImages>(p => p.Add(x => x.RunId, run.Id));

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(NotReallyAPng, "a.png"));

        cut.WaitForAssertion(() => Assert.Equal($"Run {run.Id} has no trained model (status running).", cut.Find("#score-error").TextContent.Trim()));
    }

    [Fact]
    public async Task Images_for_a_finished_run_without_a_model_are_refused()
    {
        var (run, _) = await SeedRunAsync(Catalogue, [new SeedImage("a.png", 0.5)]);
        var cut = Context.Render<ScoreNewImages>(p => p.Add(x => x.RunId, run.Id));

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(NotReallyAPng, "a.png"));

        cut.WaitForAssertion(() => Assert.Equal($"Run {run.Id} has no trained model (status succeeded).", cut.Find("#score-error").TextContent.Trim()));
    }

    [Fact]
    public void More_images_than_one_request_takes_are_refused()
    {
        var cut = Context.Render<ScoreNewImages>(p => p.Add(x => x.RunId, 1));

        var files = Enumerable.Range(0, ScoringLimits.Default.MaxImages + 1).Select(i => InputFileContent.CreateFromBinary(NotReallyAPng, $"{i}.png")).ToArray();
        cut.FindComponent<InputFile>().UploadFiles(files);

        cut.WaitForAssertion(() => Assert.Contains($"{ScoringLimits.Default.MaxImages}", cut.Find("#score-error").TextContent));
        Assert.Empty(cut.FindAll("#score-results .funad-tile"));
    }

    [Fact]
    public async Task A_new_upload_clears_the_previous_error()
    {
        var (run, _) = await SeedRunAsync(Catalogue, [new SeedImage("a.png", 0.5)], RunStatus.Queued);
        var cut = Context.Render<ScoreNewImages>(p => p.Add(x => x.RunId, 999));
        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(NotReallyAPng, "a.png"));
        cut.WaitForAssertion(() => Assert.Contains("does not exist", cut.Find("#score-error").TextContent));

        cut.Render(p => p.Add(x => x.RunId, run.Id));
        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(NotReallyAPng, "a.png"));

        cut.WaitForAssertion(() => Assert.Contains("(status queued)", cut.Find("#score-error").TextContent));
        Assert.Single(cut.FindAll("#score-error"));
    }
}
