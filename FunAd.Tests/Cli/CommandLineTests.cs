using System.Globalization;
using System.Text.Json;
using FunAd.Engine.Io;
using FunAd.Tests.Support;
using SixLabors.ImageSharp;

namespace FunAd.Tests.Cli;

public class CommandLineTests
{
    [Fact]
    public void Train_score_and_eval_from_the_terminal_write_the_contract_files()
    {
        using var folder = new TemporaryFolder();
        var root = TestImages.WriteMvtecLayout(folder.Combine("bricks"), train: 4, testGood: 2, testDefect: 2);
        var model = folder.Combine("model");
        var output = folder.Combine("scored");

        var train = FunAdProcess.Run(folder.Path, "train", "--images", Path.Combine(root, "train"), "--out", model, "--method", "patchcore", "--device", "cpu", "--coreset-ratio", "0.5");
        var score = FunAdProcess.Run(folder.Path, "score", "--model", model, "--images", Path.Combine(root, "test"), "--out", output, "--maps");
        var eval = FunAdProcess.Run(folder.Path, "eval", "--model", model, "--dataset", root, "--json");

        Assert.True(train.ExitCode == 0, train.Error);
        Assert.True(File.Exists(Path.Combine(model, "model.json")));
        Assert.True(Directory.Exists(folder.Combine("features")), "features are cached under the data root");
        Assert.True(score.ExitCode == 0, score.Error);
        var lines = File.ReadAllLines(Path.Combine(output, "scores.csv"));
        Assert.Equal("file,score", lines[0]);
        Assert.Equal(new[] { "good/000.png", "good/001.png", "stain/000.png", "stain/001.png" }, lines.Skip(1).Select(l => l.Split(',')[0]));
        var scores = lines.Skip(1).Select(l => float.Parse(l.Split(',')[1], CultureInfo.InvariantCulture)).ToArray();
        Assert.True(scores[2..].Min() > scores[..2].Max(), string.Join(" ", scores));
        var (map, shape) = NpyReader.ReadFloat32(Path.Combine(output, "maps", "stain", "000.npy"));
        Assert.Equal(new[] { 96, 96 }, shape);
        Assert.Equal(96 * 96, map.Length);
        using (var overlay = Image.Load(Path.Combine(output, "overlays", "stain", "000.png")))
            Assert.True(overlay.Width >= 96 && overlay.Height >= 96);
        Assert.True(eval.ExitCode == 0, eval.Error);
        using var report = JsonDocument.Parse(eval.Output);
        Assert.Equal(1.0, report.RootElement.GetProperty("imageAuroc").GetDouble());
        Assert.True(report.RootElement.GetProperty("pixelAuroc").GetDouble() > 0.9);

        var export = FunAdProcess.Run(folder.Path, "export", "--model", model, "--out", folder.Combine("model.onnx"));
        Assert.True(export.ExitCode == 0, export.Error);
        Assert.True(new FileInfo(folder.Combine("model.onnx")).Length > 1_000_000, "the file holds the backbone's weights");
        var bench = FunAdProcess.Run(folder.Path, "bench", "--model", model, "--images", "2", "--device", "cpu");
        Assert.True(bench.ExitCode == 0, bench.Error);
        Assert.Equal(2, bench.Output.Split('\n').Count(l => l.Contains("images/s")));
    }

    [Fact]
    public void A_missing_folder_fails_with_exit_code_1_and_a_one_line_reason()
    {
        using var folder = new TemporaryFolder();

        var result = FunAdProcess.Run(folder.Path, "train", "--images", folder.Combine("nowhere"), "--out", folder.Combine("m"), "--device", "cpu");

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("funad:"));
        Assert.Contains("nowhere", line);
    }

    [Fact]
    public void Scoring_with_a_folder_that_is_not_a_model_names_it()
    {
        using var folder = new TemporaryFolder();
        using (var crop = TestImages.BrickCrop(0, 0, 32)) TestImages.Save(crop, folder.Combine("imgs", "a.png"));

        var result = FunAdProcess.Run(folder.Path, "score", "--model", folder.Combine("imgs"), "--images", folder.Combine("imgs"), "--out", folder.Combine("o"), "--device", "cpu");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("not a FunAd model folder", result.Error);
    }

    [Fact]
    public void An_unknown_verb_is_refused_rather_than_starting_the_web_app()
    {
        using var folder = new TemporaryFolder();

        var result = FunAdProcess.Run(folder.Path, "trian");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unknown verb 'trian'", result.Error);
    }
}
