using FunAd.Engine.Backbones;
using FunAd.Engine.Devices;
using FunAd.Engine.Features;
using FunAd.Engine.Imaging;
using FunAd.Engine.Models;

namespace FunAd.Engine.Workflows;

/// <summary>What every workflow needs: the device, where features are cached (none to disable) and the decode limits.</summary>
public sealed record EngineContext(ComputeDevice Device, FeatureCache? Cache, DecodeLimits Limits)
{
    /// <summary>Features of the given files through the given backbone, reporting progress as the "features" stage.</summary>
    public FeatureRun ExtractFeatures(IFeatureExtractor extractor, FeatureSettings settings, IReadOnlyList<ImageSource> sources,
        IProgress<StageProgress>? progress, CancellationToken cancellation)
    {
        var pipeline = new FeaturePipeline(extractor, settings, Cache, Limits);
        var featureProgress = progress is null ? null : new InlineProgress<FeatureProgress>(p =>
            progress.Report(new StageProgress(Stages.Features, (double)p.Done / Math.Max(1, p.Total), $"{p.Done}/{p.Total} images, {p.FromCache} from cache")));
        return pipeline.Run(sources, featureProgress, cancellation);
    }

    /// <summary>Opens the backbone a model was trained with, and refuses one whose weights or recipe changed since.</summary>
    public IFeatureExtractor OpenBackboneOf(ModelManifest manifest) =>
        OnnxFeatureExtractor.Open(BackboneCatalog.LoadGraphOf(manifest.Backbone.Spec, manifest.Backbone.Id), Device);
}
