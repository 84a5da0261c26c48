namespace FunAd.Engine.Models;

/// <summary>Defect: a score per patch and a pixel map. Semantic: one score per image from its global feature.</summary>
public enum DetectionMode
{
    Defect,
    Semantic,
}

public static class DetectionModeParser
{
    public static DetectionMode Parse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "defect" => DetectionMode.Defect,
        "semantic" => DetectionMode.Semantic,
        _ => throw new ArgumentException($"Unknown mode '{text}': use defect or semantic."),
    };

    public static string Name(this DetectionMode mode) => mode == DetectionMode.Defect ? "defect" : "semantic";
}
