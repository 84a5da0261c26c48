using FunAd.Engine.Backbones;
using FunAd.Engine.Devices;
using FunAd.Engine.Models;
using FunAd.Engine.Training;
using FunAd.Tests.Support;

namespace FunAd.Tests.Training;

public class FunAdTrainerTests
{
    private static readonly ComputeDevice Cpu = ComputeDevice.Resolve(DeviceChoice.Cpu);
    private static readonly PatchFeatureLayout Layout = new(DetectionMode.Defect, ConcatGlobal: false, Grid: 2, PatchDim: 8, GlobalDim: 3);

    /// <summary>
    /// 40 unlabeled images of 4 patches whose features scatter around the origin; <paramref name="paintDefect"/>
    /// may move some patches of image i far off and returns which (none for a normal image). No labels reach the trainer.
    /// </summary>
    private static (TrainingSet Data, bool[] AnomalousPatch) NoisySet(int seed, Func<int, float[], Random, int[]> paintDefect)
    {
        var random = new Random(seed);
        var images = new List<ImageFeatures>();
        var anomalous = new List<bool>();
        for (var i = 0; i < 40; i++)
        {
            var patches = new float[4 * 8];
            for (var j = 0; j < patches.Length; j++) patches[j] = (float)(random.NextDouble() - 0.5);
            var defective = paintDefect(i, patches, random);
            for (var p = 0; p < 4; p++) anomalous.Add(defective.Contains(p));
            images.Add(new ImageFeatures(patches, new float[3]));
        }
        return (TrainingSet.Build(images, [], Layout, Cpu), [.. anomalous]);
    }

    /// <summary>In 4 images (10%) one patch lies far off in its own direction.</summary>
    private static (TrainingSet Data, bool[] AnomalousPatch) ContaminatedSet(int seed) => NoisySet(seed, (i, patches, _) =>
    {
        if (i % 10 != 3) return [];
        var patch = i / 10;
        patches[patch * 8 + i / 10] += 4;
        return [patch];
    });

    /// <summary>
    /// The 4 defective images carry their defect twice: patches 0 and 1 are near-copies of one far-off
    /// feature, as a defect spanning neighbouring patches is.
    /// </summary>
    private static (TrainingSet Data, bool[] AnomalousPatch) TwinDefectSet(int seed) => NoisySet(seed, (i, patches, random) =>
    {
        if (i % 10 != 3) return [];
        var direction = i / 10;
        for (var d = 0; d < 8; d++) patches[8 + d] = patches[d] + (float)(0.2 * (random.NextDouble() - 0.5));
        patches[direction] += 4;
        patches[8 + direction] += 4;
        return [0, 1];
    });

    private static FunAdOptions Quick => new()
    {
        Epochs = 25,
        BatchSize = 8,
        LearningRate = 1e-3,
        SyntheticAnomalies = false,
        CheckpointEvery = 5,
        Seed = 7,
    };

    private static float[] Scores(FunAdTrainingResult result, TrainingSet data) =>
        FunAdTrainer.PatchScores(result.Net, data.Features, data.RealCount, data.Layout.Rows);

    [Fact]
    public void Unlabeled_contamination_ends_up_scored_above_the_normal_patches()
    {
        var (data, anomalous) = ContaminatedSet(1);
        using var _ = data;

        var result = new FunAdTrainer(Quick, Cpu).Train(data, null, "test");
        var scores = Scores(result, data);

        var lowestAnomaly = scores.Where((_, i) => anomalous[i]).Min();
        var normalAbove = scores.Where((s, i) => !anomalous[i] && s >= lowestAnomaly).Count();
        Assert.True(normalAbove <= 2, $"{normalAbove} normal patches score at or above the weakest anomaly");
        Assert.Equal(25, result.History.Count);
        Assert.All(result.History, h => Assert.InRange(h.AnomalousShare, 0, 0.5));
    }

    [Fact]
    public void Excluding_the_own_image_finds_a_defect_whose_image_is_in_the_bank()
    {
        var (data, anomalous) = TwinDefectSet(3);
        using var _ = data;
        // Every image but the top-scored one joins the bank, so a twin finds its twin in the research rule.
        var options = Quick with { TauB = 1, SamplingRatio = 1 };

        int NormalAboveWeakestDefect(FunAdOptions o)
        {
            var result = new FunAdTrainer(o, Cpu).Train(data, null, "test");
            using var net = result.Net;
            var scores = Scores(result, data);
            var lowestAnomaly = scores.Where((_, i) => anomalous[i]).Min();
            return scores.Where((s, i) => !anomalous[i] && s >= lowestAnomaly).Count();
        }

        var excluded = NormalAboveWeakestDefect(options with { ExcludeOwnImage = true });
        var research = NormalAboveWeakestDefect(options);

        Assert.True(excluded <= 2, $"own image excluded: {excluded} normal patches score at or above the weakest defect");
        Assert.True(research > 8, $"research rule: only {research} normal patches score at or above the weakest defect");
    }

    [Fact]
    public void The_same_seed_gives_the_same_scores_and_another_seed_does_not()
    {
        var (data, _) = ContaminatedSet(2);
        using var __ = data;
        var options = Quick with { Epochs = 4 };

        var first = Scores(new FunAdTrainer(options, Cpu).Train(data, null, "test"), data);
        var second = Scores(new FunAdTrainer(options, Cpu).Train(data, null, "test"), data);
        var other = Scores(new FunAdTrainer(options with { Seed = 8 }, Cpu).Train(data, null, "test"), data);

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void A_run_stopped_after_a_checkpoint_resumes_to_the_same_model_as_an_uninterrupted_run()
    {
        var (data, _) = ContaminatedSet(3);
        using var __ = data;
        using var folder = new TemporaryFolder();
        var options = Quick with { Epochs = 6, CheckpointEvery = 2 };
        var uninterrupted = Scores(new FunAdTrainer(options, Cpu).Train(data, null, "run"), data);

        using var stop = new CancellationTokenSource();
        var store = new CheckpointStore(folder.Combine("checkpoint"));
        var stopAfterEpoch3 = new InlineProgress<TrainingProgress>(p => { if (p.Epoch == 3 && p.Iteration == 1) stop.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() => new FunAdTrainer(options, Cpu).Train(data, store, "run", stopAfterEpoch3, stop.Token));
        var resumed = new FunAdTrainer(options, Cpu).Train(data, store, "run");

        Assert.Equal(2, resumed.ResumedFromEpoch);
        Assert.Equal(6, resumed.History.Count);
        Assert.Equal(uninterrupted, Scores(resumed, data));
    }

    [Fact]
    public void A_checkpoint_mixing_files_of_two_saves_is_refused_and_the_run_starts_over()
    {
        // What a file-by-file copy taken while the checkpoint folders were swapped (a backup of a running instance) can hold.
        var (data, _) = ContaminatedSet(3);
        using var __ = data;
        using var folder = new TemporaryFolder();
        var options = Quick with { Epochs = 6, CheckpointEvery = 2 };
        var uninterrupted = Scores(new FunAdTrainer(options, Cpu).Train(data, null, "run"), data);
        var store = new CheckpointStore(folder.Combine("checkpoint"));
        void StopAfter(int epoch)
        {
            using var stop = new CancellationTokenSource();
            var progress = new InlineProgress<TrainingProgress>(p => { if (p.Epoch == epoch && p.Iteration == 1) stop.Cancel(); });
            Assert.ThrowsAny<OperationCanceledException>(() => new FunAdTrainer(options, Cpu).Train(data, store, "run", progress, stop.Token));
        }
        StopAfter(3);
        var weights = Directory.GetFiles(store.Directory, "model.*.npy").Order().First();
        var early = File.ReadAllBytes(weights);
        StopAfter(5);
        Assert.NotEqual(early, File.ReadAllBytes(weights));
        File.WriteAllBytes(weights, early);

        var resumed = new FunAdTrainer(options, Cpu).Train(data, store, "run");

        Assert.Equal(0, resumed.ResumedFromEpoch);
        Assert.Equal(uninterrupted, Scores(resumed, data));
    }

    [Fact]
    public void A_checkpoint_of_other_data_or_settings_is_not_resumed()
    {
        var (data, _) = ContaminatedSet(4);
        using var __ = data;
        using var folder = new TemporaryFolder();
        var store = new CheckpointStore(folder.Combine("checkpoint"));
        new FunAdTrainer(Quick with { Epochs = 3, CheckpointEvery = 1 }, Cpu).Train(data, store, "first");

        var other = new FunAdTrainer(Quick with { Epochs = 3, CheckpointEvery = 1 }, Cpu).Train(data, store, "second");

        Assert.Equal(0, other.ResumedFromEpoch);
    }

    [Fact]
    public void The_stable_rule_stops_once_the_bank_candidates_settle_and_says_so()
    {
        var (data, _) = ContaminatedSet(5);
        using var __ = data;

        var result = new FunAdTrainer(Quick with { Epochs = 200, Selection = "stable", StablePatience = 3, StableChange = 0.05 }, Cpu).Train(data, null, "test");

        Assert.True(result.History.Count < 200, "training stopped early");
        Assert.StartsWith("stable:", result.SelectionRule);
        Assert.All(result.History.TakeLast(3), h => Assert.True(h.CandidateChange <= 0.05));
    }

    [Fact]
    public void With_labelled_validation_the_best_checked_epoch_is_kept_and_named()
    {
        var (data, _) = ContaminatedSet(6);
        using var __ = data;
        var options = Quick with { Epochs = 6, CheckpointEvery = 2 };
        var verdicts = new Queue<double>([0.5, 0.9, 0.7]); // checked after epochs 2, 4 and 6
        var shortRun = Scores(new FunAdTrainer(options with { Epochs = 4 }, Cpu).Train(data, null, "x"), data);

        var result = new FunAdTrainer(options, Cpu).Train(data, null, "x", validation: _ => verdicts.Dequeue());

        Assert.Equal(3, result.SelectedEpoch);
        Assert.StartsWith("validation:", result.SelectionRule);
        Assert.Contains("epoch 4", result.SelectionRule);
        Assert.Equal(shortRun, Scores(result, data));
        Assert.Equal(new double?[] { null, 0.5, null, 0.9, null, 0.7 }, result.History.Select(h => h.ValidationScore));
    }
}
