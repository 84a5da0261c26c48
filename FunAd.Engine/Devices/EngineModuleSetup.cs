using System.Runtime.CompilerServices;

namespace FunAd.Engine.Devices;

/// <summary>
/// Applies the TorchSharp native fix as soon as the engine is used at all, so no code path can load
/// TorchSharp's unpatched library first (ComputeDevice.Resolve also applies it, explicitly).
/// </summary>
internal static class EngineModuleSetup
{
#pragma warning disable CA2255 // Deliberate: native set-up must precede any TorchSharp call from this assembly.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void ApplyNativeFix()
    {
        try
        {
            TorchSharpNativeFix.EnsureApplied();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PlatformNotSupportedException or InvalidDataException)
        {
            // Reported again, with its reason, by ComputeDevice.Resolve; a module initializer must not throw.
        }
    }
}
