using System.Runtime.CompilerServices;
using FunAd.Engine.Devices;

namespace FunAd.Tests.Support;

/// <summary>
/// Tests call TorchSharp directly, in any order: the native fix must be in place before the first
/// of them loads libLibTorchSharp (a fresh build copies the unpatched library into the output).
/// </summary>
internal static class TorchSharpSetup
{
#pragma warning disable CA2255 // Deliberate: native set-up must precede any TorchSharp call from this assembly.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void ApplyNativeFix() => TorchSharpNativeFix.EnsureApplied();
}
