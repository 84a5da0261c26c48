using System.Diagnostics;

namespace FunAd.Tests.Support;

/// <summary>A real <c>funad worker</c> process on a data root, which a test can kill with SIGKILL.</summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly ProcessOutput output;

    private WorkerProcess(Process process)
    {
        this.process = process;
        output = new ProcessOutput(process);
    }

    /// <summary>The name the worker goes by in the registry and in a run's log ("machine:pid").</summary>
    public string Name => $"{Environment.MachineName}:{process.Id}";

    public bool HasExited => process.HasExited;

    /// <summary>What the worker printed so far (for failure messages).</summary>
    public string Output => output.ToString();

    /// <param name="settings">Host settings, as "--Section:Key=value" arguments.</param>
    public static WorkerProcess Start(string dataRoot, params string[] settings) => new(FunAdProcess.Start(dataRoot, ["worker", .. settings]));

    /// <summary>SIGKILL: the worker gets no chance to put its run back.</summary>
    public void Kill()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }
}
