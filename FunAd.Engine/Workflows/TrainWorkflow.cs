using FunAd.Engine.Backbones;
using FunAd.Engine.Baselines.PatchCore;
using FunAd.Engine.Imaging;
using FunAd.Engine.Models;

namespace FunAd.Engine.Workflows;

/// <summary>The model written, and the training images refused with their reasons.</summary>
public sealed record TrainResult(ModelManifest Manifest, int Used, IReadOnlyList<ImageDecodeException> Refused);

/// <summary>Trains a model on unlabeled images and writes its folder.</summary>
public static class TrainWorkflow
{
    public static TrainResult Run(EngineContext context, TrainRequest request, IProgress<StageProgress>? progress = null, CancellationToken cancellation = default)
    {
        if (request.Images.Count == 0) throw new ArgumentException("No training images were given.");
        if (request.Method != PatchCoreModel.MethodName)
            throw new ArgumentException($"Unknown method '{request.Method}': available: {PatchCoreModel.MethodName}.");
        using var extractor = BackboneCatalog.Open(request.Backbone, context.Device);
        var features = context.ExtractFeatures(extractor, request.Features, request.Images, progress, cancellation);
        if (features.Images.Count == 0)
            throw new InvalidDataException($"None of the {request.Images.Count} training images could be read; first problem: {features.Refused[0].Message}");
        var info = extractor.Info;
        var backbone = new BackboneReference(request.Backbone, info.Id, info.Name, info.InputSize, info.Grid, info.PatchDim, info.GlobalDim, info.Preprocessing);
        using var model = PatchCoreTrainer.Fit(features.Images, request.Mode, backbone, request.Features, request.PatchCore, context.Device, progress, cancellation);
        model.Save(request.OutputDirectory);
        return new TrainResult(model.Manifest, features.Images.Count, features.Refused);
    }
}
