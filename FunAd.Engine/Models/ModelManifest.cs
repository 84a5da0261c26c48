using System.Text.Json;
using System.Text.Json.Serialization;

namespace FunAd.Engine.Models;

/// <summary>The backbone a model was trained on; a model only scores features of the same recipe.</summary>
public sealed record BackboneReference(string Spec, string Id, string Name, int InputSize, int Grid, int PatchDim, int GlobalDim, string Preprocessing);

/// <summary>
/// model.json: everything needed to use a trained model besides its tensors, in a form people and
/// scripts can read. <see cref="Threshold"/> is the score above which an image is called anomalous,
/// when the method gives one without labels.
/// </summary>
public sealed record ModelManifest(
    string Method,
    string Mode,
    BackboneReference Backbone,
    bool CenterCrop,
    int TrainingImages,
    double? Threshold,
    string ThresholdRule,
    IReadOnlyDictionary<string, JsonElement> Settings,
    DateTimeOffset CreatedUtc)
{
    public const string FileName = "model.json";
    public const int CurrentFormat = 1;

    public int Format { get; init; } = CurrentFormat;
    public string Producer { get; init; } = "FunAd";

    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
