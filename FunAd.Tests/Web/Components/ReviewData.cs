using Bunit;
using Bunit.TestDoubles;
using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Scoring;
using FunAd.Tests.Support;
using FunAd.Web.Security;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace FunAd.Tests.Web.Components;

/// <summary>An image to put into a scored run: its score, ground truth, verdict and what was stored with it.</summary>
public sealed record SeedImage(string Name, double Score, ImageLabel Label = ImageLabel.Unlabeled, Verdict? Verdict = null,
    bool Heatmap = false, bool Mask = false, string? DefectType = null);

/// <summary>Scored runs for the review components: in memory, or in a real catalogue as the training job leaves them.</summary>
public static class ReviewData
{
    public static TrainingRun Run(double? low = 0.3, double? high = 0.6, double? suggested = 0.5, string method = "funad", int id = 7) => new()
    {
        Id = id, ProjectId = 1, Method = method, Profile = "fast", ParametersJson = "{}", Status = RunStatus.Succeeded,
        Outcome = { SuggestedThreshold = suggested, SuggestedThresholdRule = "median + 3 MAD" }, Thresholds = { Low = low, High = high },
    };

    public static ScoredImage Image(long id, double score, ImageLabel label = ImageLabel.Unlabeled, Verdict? verdict = null,
        bool heatmap = false, bool mask = false, string? defectType = null) =>
        new(id, $"img{id:000}.png", score, label, defectType, mask, verdict, heatmap, 64, 48);

    /// <summary>
    /// A project with these images (in this order), a run of it in <paramref name="status"/> with a score row per image,
    /// and a review row per verdict. Returns the run as stored and the image ids in the order given.
    /// </summary>
    public static async Task<(TrainingRun Run, IReadOnlyList<long> ImageIds)> SeedRunAsync(CatalogueFixture catalogue, IReadOnlyList<SeedImage> images,
        RunStatus status = RunStatus.Succeeded, Action<TrainingRun>? configure = null)
    {
        var project = await catalogue.AddProjectAsync($"bricks-{Guid.NewGuid():N}");
        await using var db = await catalogue.Factory.CreateDbContextAsync();
        var assets = images.Select((image, i) => new ImageAsset
        {
            ProjectId = project.Id, ContentHash = $"{i:x64}", OriginalName = image.Name, StoredPath = $"images/{i}.png", SizeBytes = 100,
            Width = 64, Height = 48, Label = image.Label, DefectType = image.DefectType, MaskPath = image.Mask ? $"masks/{i}.png" : null,
        }).ToList();
        db.Images.AddRange(assets);
        var run = new TrainingRun
        {
            ProjectId = project.Id, Method = "funad", Profile = "fast", ParametersJson = "{}", Seed = 42, Status = status,
            Progress = { Phase = status == RunStatus.Succeeded ? "done" : "training" },
            Outcome = { SuggestedThreshold = 0.5, SuggestedThresholdRule = "median + 3 MAD" }, Thresholds = { Low = 0.3, High = 0.6 }, ImageCount = images.Count,
            StartedAt = DateTimeOffset.UtcNow.AddMinutes(-5), FinishedAt = status == RunStatus.Succeeded ? DateTimeOffset.UtcNow : null,
        };
        configure?.Invoke(run);
        db.Runs.Add(run);
        await db.SaveChangesAsync();
        for (var i = 0; i < images.Count; i++)
        {
            db.Scores.Add(new ScoreResult
            {
                RunId = run.Id, ImageId = assets[i].Id, Score = images[i].Score,
                HeatmapPath = images[i].Heatmap ? $"runs/{run.Id}/heatmaps/{assets[i].Id}.png" : null,
            });
            if (images[i].Verdict is { } verdict) db.Reviews.Add(new Review { ImageId = assets[i].Id, Verdict = verdict, By = "seed" });
        }
        await db.SaveChangesAsync();
        return (run, assets.Select(a => a.Id).ToList());
    }
}

/// <summary>
/// A bUnit context with MudBlazor's services and <see cref="RunResults"/> over a real catalogue, disposed
/// asynchronously as MudBlazor's services need.
/// </summary>
public abstract class ReviewComponentTest : IAsyncLifetime
{
    protected ReviewComponentTest()
    {
        Results = new RunResults(Catalogue.Factory, Catalogue.Store);
        Context.Services.AddMudServices();
        Context.Services.AddSingleton(Results);
        Context.JSInterop.Mode = JSRuntimeMode.Loose;
    }

    protected CatalogueFixture Catalogue { get; } = new();

    protected BunitContext Context { get; } = new();

    protected RunResults Results { get; }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await Context.DisposeAsync();
        Catalogue.Dispose();
    }

    protected BunitAuthorizationContext SignInAsEditor()
    {
        var auth = Context.AddAuthorization();
        auth.SetAuthorized("editor@x");
        auth.SetRoles(Roles.Editor);
        auth.SetPolicies(Policies.Editor);
        return auth;
    }

    protected BunitAuthorizationContext SignInAsViewer()
    {
        var auth = Context.AddAuthorization();
        auth.SetAuthorized("viewer@x");
        auth.SetRoles(Roles.Viewer);
        return auth;
    }
}
