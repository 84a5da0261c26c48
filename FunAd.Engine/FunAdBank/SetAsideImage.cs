using System.Text.Json;
using FunAd.Engine.Models;

namespace FunAd.Engine.FunAdBank;

/// <summary>A training image FUN-AD judged likely defective, so none of its features entered the bank; Score is FUN-AD's.</summary>
public sealed record SetAsideImage(string Name, string ContentHash, double Score)
{
    /// <summary>The model.json setting that lists them, highest FUN-AD score first.</summary>
    public const string Setting = "setAside";

    public static JsonElement ToJson(IReadOnlyList<SetAsideImage> images) => JsonSerializer.SerializeToElement(images, ModelManifest.Json);

    /// <summary>The images a funad-bank model set aside; empty for a model of another method.</summary>
    public static IReadOnlyList<SetAsideImage> ReadFrom(ModelManifest manifest) =>
        manifest.Settings.TryGetValue(Setting, out var list) && list.ValueKind == JsonValueKind.Array
            ? list.Deserialize<List<SetAsideImage>>(ModelManifest.Json) ?? []
            : [];
}
