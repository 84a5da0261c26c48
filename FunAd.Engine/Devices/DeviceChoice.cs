namespace FunAd.Engine.Devices;

/// <summary>What the user asked for: <c>auto</c> takes CUDA when it is usable, else the CPU.</summary>
public enum DeviceChoice
{
    Auto,
    Cpu,
    Cuda,
}

public static class DeviceChoiceParser
{
    public static DeviceChoice Parse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "auto" => DeviceChoice.Auto,
        "cpu" => DeviceChoice.Cpu,
        "cuda" or "gpu" => DeviceChoice.Cuda,
        _ => throw new ArgumentException($"Unknown device '{text}': use auto, cpu or cuda."),
    };
}
