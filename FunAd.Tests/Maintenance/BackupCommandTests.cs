using FunAd.Tests.Support;

namespace FunAd.Tests.Maintenance;

/// <summary><c>funad backup</c> and <c>funad restore</c> run as a user runs them, with their refusals.</summary>
public sealed class BackupCommandTests
{
    [Fact]
    public async Task Backup_and_restore_from_the_terminal_with_their_refusals()
    {
        using var catalogue = new CatalogueFixture();
        var sample = await SampleDataRoot.CreateAsync(catalogue);
        using var folder = new TemporaryFolder();
        var backup = folder.Combine("backup");
        var elsewhere = folder.Combine("elsewhere");
        Directory.CreateDirectory(elsewhere);

        var made = FunAdProcess.Run(catalogue.Root, "backup", "--out", backup);
        var again = FunAdProcess.Run(catalogue.Root, "backup", "--out", backup);
        var restored = FunAdProcess.Run(elsewhere, "restore", "--from", backup);
        var refused = FunAdProcess.Run(elsewhere, "restore", "--from", backup);
        var forced = FunAdProcess.Run(elsewhere, "restore", "--from", backup, "--force");
        var check = FunAdProcess.Run(elsewhere, "check");

        Assert.True(made.ExitCode == 0, made.Error);
        Assert.Contains($"backed up 1 project(s), {sample.Images.Count} image(s), 1 run(s), 1 verdict(s)", made.Output);
        Assert.Contains("left out: features/", made.Output);
        Assert.True(File.Exists(Path.Combine(backup, "backup.json")));
        Assert.Equal(1, again.ExitCode);
        Assert.StartsWith("funad: ", again.Error);
        Assert.Contains("not empty", again.Error);
        Assert.True(restored.ExitCode == 0, restored.Error);
        Assert.Contains("result       clean", restored.Output);
        Assert.Contains("feature cache is rebuilt on demand", restored.Output);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("--force", refused.Error);
        Assert.True(forced.ExitCode == 0, forced.Error);
        Assert.Contains("the previous catalogue, job queue and projects/ are in", forced.Output);
        Assert.True(check.ExitCode == 0, check.Output + check.Error);
        Assert.True(File.Exists(Path.Combine(elsewhere, sample.OnnxPath)));
    }
}
