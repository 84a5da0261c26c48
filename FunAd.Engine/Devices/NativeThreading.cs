using System.Runtime.InteropServices;

namespace FunAd.Engine.Devices;

/// <summary>
/// libtorch's OpenMP threads spin while they wait by default. When training shares the cores with
/// anything else (a second job, the web app, image decoding) the spinning threads starve the others;
/// one measured semantic training ran twelve times slower beside another job. Waiting passively
/// costs little alone and keeps a shared machine usable. Set before libtorch loads (OpenMP reads it
/// once, at load), and only when the user has not chosen a policy.
/// </summary>
public static partial class NativeThreading
{
    public const string WaitPolicy = "OMP_WAIT_POLICY";

    public static void PreferPassiveWaiting()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable(WaitPolicy) is not null) return;
        // The native environment, which OpenMP reads; Environment.SetEnvironmentVariable keeps a managed copy only.
        _ = SetEnvironment(WaitPolicy, "PASSIVE", 0);
        Environment.SetEnvironmentVariable(WaitPolicy, "PASSIVE");
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnvironment(string name, string value, int overwrite);
}
