using FunAd.Jobs.Catalogue;
using FunAd.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace FunAd.Tests.Jobs;

/// <summary>
/// A run's Progress, Outcome and Thresholds are complex types in the run's own row: every member
/// survives the catalogue, and lands in the column it had when the run was flat (the schema did not change).
/// </summary>
public sealed class RunPartsTests : IDisposable
{
    private readonly CatalogueFixture catalogue = new();

    public void Dispose() => catalogue.Dispose();

    private static TrainingRun Sample(int projectId) => new()
    {
        ProjectId = projectId, Method = "funad", Profile = "fast", ParametersJson = "{}", Seed = 7, Status = RunStatus.Succeeded,
        Progress =
        {
            Phase = "done", Fraction = 0.75, Detail = "trained on 8 images", Epoch = 3, Epochs = 4, Loss = 0.125, AnomalousShare = 0.0625, EtaSeconds = 12.5,
        },
        Outcome =
        {
            ModelPath = "runs/1/model", OnnxPath = "runs/1/model.onnx", SelectionRule = "final: the last epoch (4)", ExcludedImages = 2,
            ResumedFromEpoch = 1, SuggestedThreshold = 0.5, SuggestedThresholdRule = "median + 3 MAD", MapMin = -0.25, MapMax = 2.5,
            PixelAuroc = 0.875, Aupro = 0.625, MaskedImages = 3, PixelRocJson = "[[0,0],[1,1]]",
        },
        Thresholds = { Low = 0.3, High = 0.6 },
    };

    private static async Task<int> AddSampleAsync(CatalogueDbContext db, int projectId)
    {
        var run = Sample(projectId);
        db.Runs.Add(run);
        await db.SaveChangesAsync();
        return run.Id;
    }

    [Fact]
    public async Task A_run_with_all_three_parts_set_comes_back_unchanged()
    {
        var project = await catalogue.AddProjectAsync();
        var expected = Sample(project.Id);
        int id;
        await using (var db = await catalogue.Factory.CreateDbContextAsync())
            id = await AddSampleAsync(db, project.Id);

        await using var read = await catalogue.Factory.CreateDbContextAsync();
        var stored = await read.Runs.AsNoTracking().SingleAsync(r => r.Id == id);
        Assert.Equivalent(expected.Progress, stored.Progress, strict: true);
        Assert.Equivalent(expected.Outcome, stored.Outcome, strict: true);
        Assert.Equivalent(expected.Thresholds, stored.Thresholds, strict: true);
    }

    [Fact]
    public async Task A_changed_member_of_a_part_is_saved_in_the_column_the_flat_run_used()
    {
        var project = await catalogue.AddProjectAsync();
        int id;
        await using (var db = await catalogue.Factory.CreateDbContextAsync())
        {
            id = await AddSampleAsync(db, project.Id);
            var run = db.Runs.Local.Single(r => r.Id == id);
            // Tracked member by member, like a flat property.
            run.Thresholds.High = 0.9;
            run.Progress.Fraction = 1;
            await db.SaveChangesAsync();
        }

        await using var read = await catalogue.Factory.CreateDbContextAsync();
        var row = await read.Database
            .SqlQuery<Columns>($"SELECT Phase, Progress, ThresholdLow, ThresholdHigh, OnnxPath, PixelRocJson FROM Runs WHERE Id = {id}")
            .SingleAsync();
        Assert.Equal(new Columns("done", 1, 0.3, 0.9, "runs/1/model.onnx", "[[0,0],[1,1]]"), row);
    }

    private sealed record Columns(string Phase, double Progress, double? ThresholdLow, double? ThresholdHigh, string? OnnxPath, string? PixelRocJson);
}
