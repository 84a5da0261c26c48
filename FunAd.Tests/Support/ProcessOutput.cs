using System.Diagnostics;
using System.Text;

namespace FunAd.Tests.Support;

/// <summary>
/// Drains a started process's stdout and stderr (so it never blocks on a full pipe) and keeps what it
/// printed, for failure messages.
/// </summary>
public sealed class ProcessOutput
{
    private readonly StringBuilder text = new();

    public ProcessOutput(Process process)
    {
        process.OutputDataReceived += (_, e) => { lock (text) text.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (text) text.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public override string ToString()
    {
        lock (text) return text.ToString();
    }
}
