namespace FunAd.Engine.Export;

/// <summary>The names of the exported model's contract (docs/onnx-model.md).</summary>
public static class ExportContract
{
    public const string Input = "image";
    public const string Score = "pred_score";
    public const string Map = "anomaly_map";

    public const string VersionKey = "funad.version";
    public const string BackboneKey = "funad.backbone";
    public const string ModeKey = "funad.mode";
    public const string MethodKey = "funad.method";
    public const string InputSizeKey = "funad.input_size";
    public const string ThresholdKey = "funad.threshold";
    /// <summary>Set when a reviewer saved two thresholds: scores from it up to funad.threshold need a person's look.</summary>
    public const string ReviewThresholdKey = "funad.review_threshold";
    public const string PreprocessingKey = "funad.preprocessing";
}
