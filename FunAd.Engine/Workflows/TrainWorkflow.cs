using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FunAd.Engine.Backbones;
using FunAd.Engine.Baselines.PatchCore;
using FunAd.Engine.Features;
using FunAd.Engine.FunAdBank;
using FunAd.Engine.Imaging;
using FunAd.Engine.MemoryBank;
using FunAd.Engine.Models;
using FunAd.Engine.Synthesis;
using FunAd.Engine.Training;

namespace FunAd.Engine.Workflows;

/// <summary>
/// The model written, the training images refused with their reasons, for FUN-AD how training went, and
/// for funad-bank the training images FUN-AD set aside from the bank.
/// </summary>
public sealed record TrainResult(ModelManifest Manifest, int Used, IReadOnlyList<ImageDecodeException> Refused,
    IReadOnlyList<EpochRecord>? History = null, int ResumedFromEpoch = 0, IReadOnlyList<SetAsideImage>? SetAside = null);

/// <summary>Trains a model on unlabeled images and writes its folder.</summary>
public static class TrainWorkflow
{
    public const string CheckpointFolder = "checkpoint";

    public static TrainResult Run(EngineContext context, TrainRequest request, IProgress<StageProgress>? progress = null, CancellationToken cancellation = default)
    {
        if (request.Images.Count == 0) throw new ArgumentException("No training images were given.");
        AnomalyMethod.Require(request.Method);
        using var extractor = BackboneCatalog.Open(request.Backbone, context.Device);
        var features = context.ExtractFeatures(extractor, request.Features, request.Images, progress, cancellation);
        if (features.Images.Count == 0)
            throw new InvalidDataException($"None of the {request.Images.Count} training images could be read; first problem: {features.Refused[0].Message}");
        var info = extractor.Info;
        var backbone = new BackboneReference(request.Backbone, info.Id, info.Name, info.InputSize, info.Grid, info.PatchDim, info.GlobalDim, info.Preprocessing);

        if (request.Method == AnomalyMethod.PatchCore)
        {
            using var baseline = PatchCoreTrainer.Fit(features.Images, request.Mode, backbone, request.Features, request.PatchCore, context.Device, progress, cancellation);
            baseline.Save(request.OutputDirectory);
            return new TrainResult(baseline.Manifest, features.Images.Count, features.Refused);
        }
        return RunFunAd(context, request, extractor, backbone, features, progress, cancellation);
    }

    private static TrainResult RunFunAd(EngineContext context, TrainRequest request, IFeatureExtractor extractor, BackboneReference backbone,
        FeatureRun features, IProgress<StageProgress>? progress, CancellationToken cancellation)
    {
        var options = request.FunAd ?? FunAdProfiles.Get(request.Profile, request.Mode == DetectionMode.Semantic);
        options.Validate();
        var layout = new PatchFeatureLayout(request.Mode, options.ConcatGlobal, backbone.Grid, backbone.PatchDim, backbone.GlobalDim);
        var syntheticCount = options.SyntheticAnomalies && request.Mode == DetectionMode.Defect
            ? Math.Max(1, (int)Math.Round(features.Images.Count * options.SyntheticShare))
            : 0;
        progress?.Report(new StageProgress(Stages.Synthetic, 0, $"{syntheticCount} synthetic anomalies"));
        var synthetic = SyntheticFeatureMaker.Make(features.Images, syntheticCount, extractor, request.Features, context.Limits, options.Seed, cancellation);
        progress?.Report(new StageProgress(Stages.Synthetic, 1, $"{synthetic.Count} synthetic anomalies"));

        using var data = TrainingSet.Build(features.Images.Select(i => i.Features).ToList(), synthetic, layout, context.Device);
        var fingerprint = Fingerprint(options, layout, backbone, request, features.Images) + (request.ValidationDirectory is null ? "" : "+validation");
        var checkpoints = new CheckpointStore(Path.Combine(request.OutputDirectory, CheckpointFolder));
        var trainingProgress = progress is null ? null : new InlineProgress<TrainingProgress>(p => progress.Report(new StageProgress(Stages.Training, p.Fraction,
            $"epoch {p.Epoch + 1}/{p.Epochs} loss {p.Loss:F4} anomalous {p.AnomalousShare:P1}" + (p.Remaining is { } r ? $" ETA {r:hh\\:mm\\:ss}" : ""), p)));
        using var validationSet = request.ValidationDirectory is null ? null : ValidationSet.Load(context, request, extractor, layout, progress, cancellation);
        Func<LocalNet, double>? validation = validationSet is null ? null : validationSet.ImageAuroc;
        var trained = new FunAdTrainer(options, context.Device).Train(data, checkpoints, fingerprint, trainingProgress, cancellation, validation);

        var last = trained.History.LastOrDefault();
        var settings = JsonSerializer.SerializeToElement(options, ModelManifest.Json).EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
        settings["profile"] = JsonSerializer.SerializeToElement(request.Profile);
        settings["syntheticImages"] = JsonSerializer.SerializeToElement(synthetic.Count);
        settings["selectedEpoch"] = JsonSerializer.SerializeToElement(trained.SelectedEpoch + 1);
        settings["selectionRule"] = JsonSerializer.SerializeToElement(trained.SelectionRule);
        settings["epochsRun"] = JsonSerializer.SerializeToElement(trained.History.Count);
        if (last is not null) settings["finalAnomalousShare"] = JsonSerializer.SerializeToElement(last.AnomalousShare);
        ModelManifest Manifest(string method, double threshold, string rule) =>
            new(method, request.Mode.Name(), backbone, request.Features.CenterCrop, features.Images.Count, threshold, rule, settings, DateTimeOffset.UtcNow);

        if (request.Method == AnomalyMethod.FunAd)
        {
            var manifest = Manifest(AnomalyMethod.FunAd, 0.5, "0.5: the decision boundary of the Local-Net's discriminator (scores are probabilities of 'anomalous')");
            using var model = new FunAdModel(manifest, trained.Net, layout, context.Device);
            model.Save(request.OutputDirectory);
            checkpoints.Delete();
            return new TrainResult(manifest, features.Images.Count, features.Refused, trained.History, trained.ResumedFromEpoch);
        }

        FunAdBankResult cleaned;
        try
        {
            cleaned = FunAdBankBuilder.Build(trained.Net, data, features.Images, request.Mode, request.Bank ?? new FunAdBankOptions(), options.Seed,
                backbone.InputSize, context.Device, progress, cancellation);
        }
        catch
        {
            trained.Net.Dispose();
            throw;
        }
        foreach (var (name, value) in cleaned.Settings) settings[name] = value;
        var bankManifest = Manifest(AnomalyMethod.FunAdBank, cleaned.Threshold, cleaned.ThresholdRule);
        // The Local-Net lives on only where its patch scores are mixed into the bank's; the bank model then owns it.
        var head = cleaned.Blend is null ? null : new FunAdModel(bankManifest, trained.Net, layout, context.Device);
        if (head is null) trained.Net.Dispose();
        using (var bank = new MemoryBankModel(bankManifest, cleaned.Bank, cleaned.Dimension, context.Device, cleaned.Images, head))
            bank.Save(request.OutputDirectory);
        checkpoints.Delete();
        return new TrainResult(bankManifest, features.Images.Count, features.Refused, trained.History, trained.ResumedFromEpoch, cleaned.SetAside);
    }

    /// <summary>Identifies a run's data and settings, so a checkpoint is only resumed by the same run.</summary>
    private static string Fingerprint(FunAdOptions options, PatchFeatureLayout layout, BackboneReference backbone, TrainRequest request, IReadOnlyList<ExtractedImage> images)
    {
        var text = new StringBuilder()
            .AppendLine(JsonSerializer.Serialize(options))
            .AppendLine(layout.ToString())
            .AppendLine(backbone.Id)
            .AppendLine(request.Features.ToString());
        foreach (var image in images) text.AppendLine(image.ContentHash);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
