using TorchSharp;

namespace FunAd.Engine.Devices;

/// <summary>
/// The device the engine runs on, resolved once from the user's choice. Everything native about
/// device selection (TorchSharp's loader, CUDA probing) stays behind this type.
/// </summary>
public sealed record ComputeDevice(DeviceType Type, string Description, string NativeFixOutcome)
{
    public bool IsCuda => Type == DeviceType.CUDA;

    public torch.Device TorchDevice => IsCuda ? torch.CUDA : torch.CPU;

    /// <summary>Loads TorchSharp (patching its native library first where the host needs it) and picks the device.</summary>
    public static ComputeDevice Resolve(DeviceChoice choice)
    {
        TorchSharpNativeFix.EnsureApplied();
        var cudaAvailable = choice != DeviceChoice.Cpu && torch.cuda.is_available();
        if (choice == DeviceChoice.Cuda && !cudaAvailable)
            throw new InvalidOperationException("CUDA was requested but TorchSharp sees no usable GPU (the CPU build of libtorch is installed, or no driver is present). Use --device auto or cpu.");
        if (cudaAvailable)
            return new ComputeDevice(DeviceType.CUDA, $"CUDA ({torch.cuda.device_count()} device(s))", TorchSharpNativeFix.Outcome);
        var why = choice == DeviceChoice.Cpu ? "requested" : "no CUDA device found";
        return new ComputeDevice(DeviceType.CPU, $"CPU ({Environment.ProcessorCount} cores; {why})", TorchSharpNativeFix.Outcome);
    }
}
