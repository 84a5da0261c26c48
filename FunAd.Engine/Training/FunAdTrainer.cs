using System.Diagnostics;
using FunAd.Engine.Devices;
using FunAd.Engine.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace FunAd.Engine.Training;

/// <summary>A trained Local-Net with its history and how the kept epoch was chosen.</summary>
public sealed record FunAdTrainingResult(LocalNet Net, IReadOnlyList<EpochRecord> History, int SelectedEpoch, string SelectionRule, int ResumedFromEpoch);

/// <summary>
/// FUN-AD training (method page, section 3), one iteration at a time: memory bank of likely-normal
/// images from the model's own scores, pseudo-labels from normalised nearest-neighbour distances,
/// Gaussian perturbation of the uncertain band, balanced BCE plus mutual smoothness, one RMSProp step.
/// Every random draw comes from generators seeded by (seed, epoch), so a run resumed from a checkpoint
/// continues exactly as an uninterrupted one.
/// </summary>
public sealed class FunAdTrainer(FunAdOptions options, ComputeDevice device)
{
    private const int ScoringRows = 32768;

    /// <param name="validation">
    /// When the user gave labelled validation images: scores a net on them (e.g. image AUROC). It is
    /// asked at every checkpoint epoch and at the end, and the best net is kept instead of the last.
    /// </param>
    public FunAdTrainingResult Train(TrainingSet data, CheckpointStore? checkpoints, string fingerprint,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellation = default, Func<LocalNet, double>? validation = null)
    {
        options.Validate();
        if (data.RealCount < 2) throw new ArgumentException("FUN-AD needs at least two training images.");
        var net = new LocalNet(data.Layout.Dimension);
        try
        {
            return TrainNet(net, data, checkpoints, fingerprint, progress, cancellation, validation);
        }
        catch
        {
            // Cancelled or failed: the native weights go now, not at some later collection.
            net.Dispose();
            throw;
        }
    }

    private FunAdTrainingResult TrainNet(LocalNet net, TrainingSet data, CheckpointStore? checkpoints, string fingerprint,
        IProgress<TrainingProgress>? progress, CancellationToken cancellation, Func<LocalNet, double>? validation)
    {
        net.Initialise(options.Seed);
        net.to(device.TorchDevice);
        var parameters = net.named_parameters().ToList();
        using var optimiser = new RmsProp(parameters, options.LearningRate, options.Alpha, options.Epsilon, options.Momentum);
        // The best net so far by validation score travels in the checkpoint too.
        var best = parameters.ToDictionary(p => p.name, p => HostCopy.DetachedClone(p.parameter));
        try
        {
            return Loop(net, parameters, optimiser, best, data, checkpoints, fingerprint, progress, cancellation, validation);
        }
        finally
        {
            foreach (var tensor in best.Values) tensor.Dispose();
        }
    }

    private FunAdTrainingResult Loop(LocalNet net, List<(string name, TorchSharp.Modules.Parameter parameter)> parameters, RmsProp optimiser,
        Dictionary<string, Tensor> best, TrainingSet data, CheckpointStore? checkpoints, string fingerprint,
        IProgress<TrainingProgress>? progress, CancellationToken cancellation, Func<LocalNet, double>? validation)
    {
        double bestScore = double.NegativeInfinity;
        var bestEpoch = -1;
        IEnumerable<(string, Tensor)> CheckpointTensors() =>
            parameters.Select(p => ("model." + p.name, (Tensor)p.parameter))
                .Concat(optimiser.State().Select(s => ("optim." + s.Name, s.Value)))
                .Concat(validation is null ? [] : best.Select(b => ("best." + b.Key, b.Value)));

        var history = new List<EpochRecord>();
        var startEpoch = 0;
        bool[]? previousCandidates = null;
        if (checkpoints?.TryRestore(fingerprint, CheckpointTensors()) is { } restored)
        {
            (startEpoch, history, previousCandidates) = restored;
            var validated = history.Where(h => h.ValidationScore is not null).ToList();
            if (validated.Count > 0)
            {
                var top = validated.MaxBy(h => h.ValidationScore)!;
                (bestScore, bestEpoch) = (top.ValidationScore!.Value, top.Epoch);
            }
        }
        var resumedFrom = startEpoch;
        var iterationsPerEpoch = (data.Count + options.BatchSize - 1) / options.BatchSize;
        var settled = TrailingSettled(history);
        var watch = Stopwatch.StartNew();
        // Seconds per iteration, as a moving average: the first iterations (warm-up) are slow, and a
        // plain average over the whole run keeps the ETA too high for a long time.
        double? secondsPerIteration = null;
        var selectedEpoch = options.Epochs - 1;

        for (var epoch = startEpoch; epoch < options.Epochs; epoch++)
        {
            var epochWatch = Stopwatch.StartNew();
            var random = new Random(unchecked(options.Seed * 1_000_003 + epoch));
            // Disposed here, not left to the finalizer thread while the next epoch or run trains.
            using var noise = new Generator(unchecked((ulong)(options.Seed * 7_368_787L + epoch)));
            var order = Enumerable.Range(0, data.Count).OrderBy(_ => random.Next()).ToArray();
            Tensor? bank = null, bankImages = null;
            double lossSum = 0, bceSum = 0, smoothSum = 0, anomalousSum = 0;
            double? candidateChange = null;
            try
            {
                for (var iteration = 0; iteration < iterationsPerEpoch; iteration++)
                {
                    cancellation.ThrowIfCancellationRequested();
                    if (iteration % options.BankRefreshInterval == 0)
                    {
                        bank?.Dispose();
                        bankImages?.Dispose();
                        (bank, bankImages, var candidates) = BuildBank(net, data, random);
                        if (iteration == 0 && previousCandidates is not null)
                            candidateChange = candidates.Zip(previousCandidates).Count(p => p.First != p.Second) / (double)candidates.Length;
                        if (iteration == 0) previousCandidates = candidates;
                    }
                    var batch = order.Skip(iteration * options.BatchSize).Take(options.BatchSize).ToArray();
                    var step = Step(net, optimiser, data, bank!, bankImages!, batch, random, noise);
                    lossSum += step.Loss;
                    bceSum += step.Bce;
                    smoothSum += step.Smooth;
                    anomalousSum += step.AnomalousShare;
                    var stepSeconds = watch.Elapsed.TotalSeconds;
                    watch.Restart();
                    secondsPerIteration = secondsPerIteration is { } average ? 0.85 * average + 0.15 * stepSeconds : stepSeconds;
                    var remaining = TimeSpan.FromSeconds(secondsPerIteration.Value *
                        ((options.Epochs - epoch - 1) * iterationsPerEpoch + iterationsPerEpoch - iteration - 1));
                    progress?.Report(new TrainingProgress(Stages.Training, epoch, options.Epochs, iteration + 1, iterationsPerEpoch,
                        step.Loss, step.Bce, step.Smooth, step.AnomalousShare, remaining));
                }
            }
            finally
            {
                bank?.Dispose();
                bankImages?.Dispose();
            }

            settled = candidateChange is { } change && change <= options.StableChange ? settled + 1 : 0;
            var stop = options.Selection == "stable" && settled >= options.StablePatience;
            double? validationScore = null;
            if (validation is not null && ((epoch + 1) % options.CheckpointEvery == 0 || stop || epoch + 1 == options.Epochs))
            {
                validationScore = validation(net);
                if (validationScore > bestScore)
                {
                    (bestScore, bestEpoch) = (validationScore.Value, epoch);
                    using var _ = no_grad();
                    foreach (var (name, parameter) in parameters) best[name].copy_(parameter);
                }
            }
            history.Add(new EpochRecord(epoch, lossSum / iterationsPerEpoch, bceSum / iterationsPerEpoch, smoothSum / iterationsPerEpoch,
                anomalousSum / iterationsPerEpoch, candidateChange, epochWatch.Elapsed.TotalSeconds, validationScore));
            if (checkpoints is not null && ((epoch + 1) % options.CheckpointEvery == 0 || stop) && epoch + 1 < options.Epochs)
                checkpoints.Save(epoch + 1, fingerprint, history, previousCandidates, CheckpointTensors());
            if (stop)
            {
                selectedEpoch = epoch;
                break;
            }
        }

        if (validation is not null && bestEpoch >= 0)
        {
            using (no_grad())
                foreach (var (name, parameter) in parameters) parameter.copy_(best[name]);
            return new FunAdTrainingResult(net, history, bestEpoch,
                $"validation: the epoch with the best score on the labelled validation images ({bestScore:F4} at epoch {bestEpoch + 1}, checked every {options.CheckpointEvery} epochs)", resumedFrom);
        }
        var rule = options.Selection == "stable" && selectedEpoch < options.Epochs - 1
            ? $"stable: bank candidates changed for at most {options.StableChange:P1} of the images for {options.StablePatience} epochs in a row; stopped after epoch {selectedEpoch + 1}"
            : options.Selection == "stable"
                ? $"stable: never settled, kept the final epoch ({options.Epochs})"
                : $"final: the last epoch ({options.Epochs})";
        return new FunAdTrainingResult(net, history, selectedEpoch, rule, resumedFrom);
    }

    private int TrailingSettled(List<EpochRecord> history) =>
        history.AsEnumerable().Reverse().TakeWhile(h => h.CandidateChange is { } c && c <= options.StableChange).Count();

    private static Tensor NoPairs(Device device) => empty(0, dtype: ScalarType.Int64, device: device);

    private readonly record struct StepResult(double Loss, double Bce, double Smooth, double AnomalousShare);

    /// <summary>
    /// Step 1: scores every real training image (max over its patches), min-max normalises them, takes
    /// the images under tau_b as candidates and draws the sampling ratio of them; the bank is their
    /// adapted patch features (capped by random sampling when BankCap is set), with each row's image index.
    /// </summary>
    private (Tensor Bank, Tensor BankImages, bool[] Candidates) BuildBank(LocalNet net, TrainingSet data, Random random)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var rows = data.Layout.Rows;
        var scores = ImageScores(net, data.Features, data.RealCount, rows);
        var (min, max) = (scores.Min(), scores.Max());
        var candidates = scores.Select(s => max > min ? (s - min) / (max - min) < options.TauB : true).ToArray();
        var pool = Enumerable.Range(0, data.RealCount).Where(i => candidates[i]).ToList();
        var drawn = pool.OrderBy(_ => random.Next()).Take(Math.Max(1, (int)Math.Round(pool.Count * options.SamplingRatio))).ToArray();

        var total = drawn.Length * rows;
        long[] picks;
        if (options.BankCap > 0 && total > options.BankCap)
        {
            picks = new long[options.BankCap];
            var chosen = new HashSet<int>();
            while (chosen.Count < options.BankCap) chosen.Add(random.Next(total));
            var k = 0;
            foreach (var flat in chosen.Order()) picks[k++] = (long)drawn[flat / rows] * rows + flat % rows;
        }
        else
        {
            picks = drawn.SelectMany(i => Enumerable.Range(0, rows).Select(p => (long)i * rows + p)).ToArray();
        }
        var flatFeatures = data.Features.view(-1, data.Layout.Dimension);
        var selected = flatFeatures.index_select(0, tensor(picks, device: data.Features.device));
        var bank = net.Adapt(selected);
        var bankImages = tensor(picks.Select(p => p / rows).ToArray(), device: data.Features.device);
        return (bank.MoveToOuterDisposeScope(), bankImages.MoveToOuterDisposeScope(), candidates);
    }

    /// <summary>S_j = max over the patches of image j of the discriminator's score, for the first <paramref name="count"/> images.</summary>
    public static float[] ImageScores(LocalNet net, Tensor features, int count, int rows) => Scores(net, features, count, rows, maxPerImage: true);

    /// <summary>Every patch's score for the first <paramref name="count"/> images, image after image.</summary>
    public static float[] PatchScores(LocalNet net, Tensor features, int count, int rows) => Scores(net, features, count, rows, maxPerImage: false);

    private static float[] Scores(LocalNet net, Tensor features, int count, int rows, bool maxPerImage)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var perChunk = Math.Max(1, ScoringRows / rows);
        var result = new float[maxPerImage ? count : count * rows];
        for (var start = 0; start < count; start += perChunk)
        {
            var length = Math.Min(perChunk, count - start);
            var chunk = features.narrow(0, start, length).reshape(length * rows, -1);
            var scores = net.forward(chunk).view(length, rows);
            (maxPerImage ? scores.amax(1) : scores.view(-1)).cpu().data<float>().ToArray().CopyTo(result, maxPerImage ? start : start * rows);
        }
        return result;
    }

    private StepResult Step(LocalNet net, RmsProp optimiser, TrainingSet data, Tensor bank, Tensor bankImages, int[] batch, Random random, Generator noise)
    {
        using var scope = NewDisposeScope();
        var layout = data.Layout;
        var rows = layout.Rows;
        var device = data.Features.device;
        var real = batch.Where(i => i < data.RealCount).ToArray();
        var synthetic = batch.Where(i => i >= data.RealCount).ToArray();
        var ordered = real.Concat(synthetic).Select(i => (long)i).ToArray();
        var x = data.Features.index_select(0, tensor(ordered, device: device)); // [b, rows, D]

        // sigma_c: the largest, over patch positions, of the batch's standard deviation of channel c (real images).
        Tensor sigma;
        using (no_grad())
            sigma = real.Length > 1 ? x.narrow(0, 0, real.Length).std(0).amax(0) : zeros(layout.Dimension, device: device);

        // Rows taken into this iteration: all of them, or a random subset to bound the searches.
        var totalRows = batch.Length * rows;
        var take = options.PatchesPerIteration > 0 && totalRows > options.PatchesPerIteration
            ? Enumerable.Range(0, totalRows).OrderBy(_ => random.Next()).Take(options.PatchesPerIteration).Order().ToArray()
            : Enumerable.Range(0, totalRows).ToArray();
        var realRows = real.Length * rows;
        var takenReal = take.Count(r => r < realRows);
        var rowsX = x.view(totalRows, layout.Dimension).index_select(0, tensor(take.Select(r => (long)r).ToArray(), device: device));

        Tensor labels, band;
        Tensor pairLeft, pairRight;
        double anomalousShare;
        using (no_grad())
        {
            Tensor realLabels;
            if (takenReal > 0)
            {
                // Step 2: pseudo-labels from the min-max normalised distance to the bank; step 3: mutual pairs.
                var adapted = net.Adapt(rowsX.narrow(0, 0, takenReal));
                var queryImages = options.ExcludeOwnImage
                    ? tensor(take.Take(takenReal).Select(r => (long)real[r / rows]).ToArray(), device: device)
                    : null;
                var distance = NeighbourSearch.NearestDistance(adapted, bank, options.SelfMatchDistance, queryImages, bankImages);
                using var floor = 1e-12.ToScalar();
                using var tauN = options.TauN.ToScalar();
                using var tauC = options.TauC.ToScalar();
                var normalised = (distance - distance.min()) / (distance.max() - distance.min()).clamp_min(floor);
                realLabels = normalised.gt(tauN).to_type(ScalarType.Float32);
                band = normalised.gt(tauN).logical_and(normalised.lt(tauC));
                anomalousShare = realLabels.mean().item<float>();
                (pairLeft, pairRight) = options.Lambda > 0 ? NeighbourSearch.MutualPairs(adapted) : (NoPairs(device), NoPairs(device));
            }
            else
            {
                // A batch of synthetic images only: their labels are known, and there is nothing to pair.
                realLabels = zeros(0, device: device);
                band = zeros(0, dtype: ScalarType.Bool, device: device);
                anomalousShare = 0;
                (pairLeft, pairRight) = (NoPairs(device), NoPairs(device));
            }
            var syntheticLabels = synthetic.Length == 0
                ? zeros(0, device: device)
                : data.SyntheticLabels.index_select(0, tensor(synthetic.Select(i => (long)(i - data.RealCount)).ToArray(), device: device))
                    .view(-1).index_select(0, tensor(take.Where(r => r >= realRows).Select(r => (long)(r - realRows)).ToArray(), device: device));
            labels = cat([realLabels, syntheticLabels], 0);
            band = cat([band, zeros(rowsX.shape[0] - takenReal, dtype: ScalarType.Bool, device: device)], 0);
        }

        // Step 4: Gaussian noise on the raw features of the uncertain band; their labels stay 1.
        var perturbed = rowsX;
        if (options.Perturbation && band.any().item<bool>())
        {
            var gaussian = randn([rowsX.shape[0], layout.Dimension], generator: noise).to(device);
            perturbed = rowsX.add(gaussian * sigma.unsqueeze(0) * band.unsqueeze(1).to_type(ScalarType.Float32), Scalars.One);
        }

        // Step 5: balanced BCE on the perturbed pass, mutual smoothness on the clean pass.
        var scores = net.forward(perturbed);
        using var half = 0.5f.ToScalar();
        var positive = labels.gt(half);
        var negative = positive.logical_not();
        var bce = zeros(1, device: device).squeeze();
        if (positive.any().item<bool>()) bce = bce.add(nn.functional.binary_cross_entropy(scores.masked_select(positive), ones_like(scores.masked_select(positive))), Scalars.One);
        if (negative.any().item<bool>()) bce = bce.add(nn.functional.binary_cross_entropy(scores.masked_select(negative), zeros_like(scores.masked_select(negative))), Scalars.One);
        var smooth = zeros(1, device: device).squeeze();
        if (pairLeft.shape[0] > 0)
        {
            var clean = net.forward(rowsX.narrow(0, 0, takenReal));
            smooth = (clean.index_select(0, pairLeft) - clean.index_select(0, pairRight)).abs().mean().div(Scalars.Two);
        }
        using var lambda = options.Lambda.ToScalar();
        var loss = bce.add(smooth.mul(lambda), Scalars.One);

        optimiser.ZeroGrad();
        loss.backward();
        optimiser.Step();
        return new StepResult(loss.item<float>(), bce.item<float>(), smooth.item<float>(), anomalousShare);
    }
}
