using FunAd.Engine.Backbones;
using FunAd.Engine.Datasets;
using FunAd.Engine.Metrics;
using FunAd.Engine.Models;
using FunAd.Engine.Training;
using static TorchSharp.torch;

namespace FunAd.Engine.Workflows;

/// <summary>The user's labelled validation images (MVTec AD layout) as feature rows on the device, to choose FUN-AD's kept epoch by.</summary>
public sealed class ValidationSet : IDisposable
{
    private readonly Tensor _rows;
    private readonly bool[] _labels;
    private readonly int _rowsPerImage;

    private ValidationSet(Tensor rows, bool[] labels, int rowsPerImage)
    {
        _rows = rows;
        _labels = labels;
        _rowsPerImage = rowsPerImage;
    }

    public static ValidationSet Load(EngineContext context, TrainRequest request, IFeatureExtractor extractor, PatchFeatureLayout layout,
        IProgress<StageProgress>? progress, CancellationToken cancellation)
    {
        var labelled = MvtecLayout.ReadTestSet(request.ValidationDirectory!);
        var run = context.ExtractFeatures(extractor, request.Features, labelled.Select(l => l.Source).ToList(), progress, cancellation);
        var truth = labelled.ToDictionary(l => l.Source.Path, l => l.IsAnomalous);
        var rows = tensor(layout.Pack(run.Images.Select(i => i.Features).ToList()), [run.Images.Count, layout.Rows, layout.Dimension], device: context.Device.TorchDevice);
        return new ValidationSet(rows, run.Images.Select(i => truth[i.Source.Path]).ToArray(), layout.Rows);
    }

    /// <summary>Image AUROC of a Local-Net on these images.</summary>
    public double ImageAuroc(LocalNet net) => Auroc.Compute(FunAdTrainer.ImageScores(net, _rows, _labels.Length, _rowsPerImage), _labels);

    public void Dispose() => _rows.Dispose();
}
