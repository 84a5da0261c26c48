using FunAd.Engine.Devices;

namespace FunAd.Jobs.Training;

/// <summary>The device jobs of this process run on, resolved once (CUDA when TorchSharp sees it and it is allowed, else the CPU).</summary>
public sealed class EngineDevice(Func<ComputeDevice> resolve)
{
    private readonly Lazy<ComputeDevice> device = new(resolve, LazyThreadSafetyMode.ExecutionAndPublication);

    public ComputeDevice Device => device.Value;
}
