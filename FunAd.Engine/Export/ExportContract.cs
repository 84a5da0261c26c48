namespace FunAd.Engine.Export;

/// <summary>The names of the exported model's contract (docs/onnx-model.md).</summary>
public static class ExportContract
{
    public const string Input = "image";
    public const string Score = "pred_score";
    public const string Map = "anomaly_map";
    /// <summary>
    /// Optional int64 [N] input of memory-bank models: image k is scored without the bank rows of
    /// training image exclude_image[k] (its place in <see cref="BankImagesKey"/>), -1 (the default) for none.
    /// </summary>
    public const string ExcludeImage = "exclude_image";

    public const string VersionKey = "funad.version";
    public const string BackboneKey = "funad.backbone";
    public const string ModeKey = "funad.mode";
    public const string MethodKey = "funad.method";
    public const string InputSizeKey = "funad.input_size";
    public const string ThresholdKey = "funad.threshold";
    /// <summary>Set when a reviewer saved two thresholds: scores from it up to funad.threshold need a person's look.</summary>
    public const string ReviewThresholdKey = "funad.review_threshold";
    public const string PreprocessingKey = "funad.preprocessing";
    /// <summary>Memory-bank models: the SHA-256 (hex) of each training image's file whose rows are in the bank, comma-separated, in exclude_image's numbering.</summary>
    public const string BankImagesKey = "funad.bank_images";
}
