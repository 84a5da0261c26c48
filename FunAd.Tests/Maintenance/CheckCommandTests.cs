using System.Text.Json;
using FunAd.Jobs.Storage;
using FunAd.Tests.Support;

namespace FunAd.Tests.Maintenance;

/// <summary><c>funad check</c> run as a user runs it: exit 0 when clean or repaired, 1 with a one-line reason when problems remain.</summary>
public sealed class CheckCommandTests
{
    [Fact]
    public async Task Check_reports_repairs_and_then_reports_clean()
    {
        using var catalogue = new CatalogueFixture();
        var sample = await SampleDataRoot.CreateAsync(catalogue);
        var clean = FunAdProcess.Run(catalogue.Root, "check");
        var orphan = SampleDataRoot.Put(catalogue.Root, ArtifactStore.ImagePath(sample.ProjectId, new string('9', 64), ".png"), [1, 2], TimeSpan.FromHours(2));
        File.Delete(catalogue.Store.Resolve(sample.Defective.MaskPath!));

        var found = FunAdProcess.Run(catalogue.Root, "check");
        var json = FunAdProcess.Run(catalogue.Root, "check", "--json");
        var repaired = FunAdProcess.Run(catalogue.Root, "check", "--repair");
        var after = FunAdProcess.Run(catalogue.Root, "check");

        Assert.True(clean.ExitCode == 0, clean.Error);
        Assert.Contains("result       clean", clean.Output);
        Assert.Equal(1, found.ExitCode);
        Assert.Contains(orphan, found.Output);
        Assert.Contains(sample.Defective.MaskPath!, found.Output);
        var reason = Assert.Single(found.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("funad: 2 problem(s) found", reason);
        Assert.Equal(1, json.ExitCode);
        using (var report = JsonDocument.Parse(json.Output))
        {
            Assert.Equal(2, report.RootElement.GetProperty("problemCount").GetInt32());
            Assert.Equal(orphan, report.RootElement.GetProperty("unreferencedFiles")[0].GetString());
            Assert.Equal(sample.Defective.Id, report.RootElement.GetProperty("missingMasks")[0].GetProperty("imageId").GetInt64());
        }
        Assert.True(repaired.ExitCode == 0, repaired.Output + repaired.Error);
        Assert.Contains($"deleted file no row references {orphan}", repaired.Output);
        Assert.Contains("result       clean", repaired.Output);
        Assert.True(after.ExitCode == 0, after.Error);
    }

    [Fact]
    public async Task A_problem_repair_cannot_fix_keeps_exit_code_1()
    {
        using var catalogue = new CatalogueFixture();
        var sample = await SampleDataRoot.CreateAsync(catalogue);
        File.Delete(catalogue.Store.Resolve(sample.OnnxPath));

        var repaired = FunAdProcess.Run(catalogue.Root, "check", "--repair");

        Assert.Equal(1, repaired.ExitCode);
        Assert.Contains($"run {sample.RunId}: {sample.OnnxPath}", repaired.Output);
        Assert.StartsWith("funad: 1 problem(s) remain after the repair", repaired.Error.Trim());
    }

    [Fact]
    public void Check_where_there_is_no_catalogue_says_so()
    {
        using var folder = new TemporaryFolder();

        var result = FunAdProcess.Run(folder.Path, "check");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no catalogue here", result.Error);
        Assert.False(File.Exists(folder.Combine("catalogue.db")), "checking creates nothing");
    }
}
