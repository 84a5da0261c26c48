using FunAd.Tests.Support;

namespace FunAd.Tests.Cli;

[Collection(RealProcesses.Name)]
public class TrainingResumeTests
{
    [Fact]
    public void A_training_killed_with_sigkill_resumes_from_its_checkpoint_and_ends_with_the_uninterrupted_model()
    {
        using var folder = new TemporaryFolder();
        var root = TestImages.WriteMvtecLayout(folder.Combine("bricks"), train: 8, testGood: 1, testDefect: 1, size: 64);
        var train = Path.Combine(root, "train");
        string[] Arguments(string output) =>
            ["train", "--images", train, "--out", output, "--device", "cpu", "--epochs", "12", "--seed", "5", "--set", "checkpointEvery=2", "--set", "batchSize=4"];

        var trained = FunAdProcess.Run(folder.Path, Arguments(folder.Combine("reference")));
        Assert.True(trained.ExitCode == 0, trained.Error);

        var killedOutput = folder.Combine("killed");
        using (var running = FunAdProcess.Start(folder.Path, Arguments(killedOutput)))
        {
            _ = running.StandardOutput.ReadToEndAsync();
            _ = running.StandardError.ReadToEndAsync();
            var state = Path.Combine(killedOutput, "checkpoint", "state.json");
            var deadline = DateTime.UtcNow.AddMinutes(3);
            while (!File.Exists(state) && !running.HasExited && DateTime.UtcNow < deadline) Thread.Sleep(20);
            Assert.True(File.Exists(state), "a checkpoint was written before the run ended");
            running.Kill(); // SIGKILL: no chance to clean up
            running.WaitForExit();
        }
        Assert.False(File.Exists(Path.Combine(killedOutput, "model.json")), "the killed run had not finished");

        var resumed = FunAdProcess.Run(folder.Path, Arguments(killedOutput));

        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Contains("resumed from the checkpoint after epoch", resumed.Output);
        Assert.False(Directory.Exists(Path.Combine(killedOutput, "checkpoint")), "the checkpoint is removed once the model is written");
        var scoreReference = FunAdProcess.Run(folder.Path, "score", "--model", folder.Combine("reference"), "--images", train, "--out", folder.Combine("s1"));
        var scoreResumed = FunAdProcess.Run(folder.Path, "score", "--model", killedOutput, "--images", train, "--out", folder.Combine("s2"));
        Assert.True(scoreReference.ExitCode == 0 && scoreResumed.ExitCode == 0, scoreReference.Error + scoreResumed.Error);
        // Bit-identical in-process (FunAdTrainerTests); across processes allow for the last float digit.
        var reference = Scores(folder.Combine("s1", "scores.csv"));
        var again = Scores(folder.Combine("s2", "scores.csv"));
        Assert.Equal(reference.Keys, again.Keys);
        Assert.All(reference, r => Assert.Equal(r.Value, again[r.Key], 1e-5));
    }

    private static Dictionary<string, double> Scores(string csv) =>
        File.ReadLines(csv).Skip(1).Select(l => l.Split(',')).ToDictionary(p => p[0], p => double.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture));
}
