using System.Diagnostics;

namespace FunAd.Tests.Support;

/// <summary>Runs the real funad executable (built beside the tests) as a user would, and captures what it prints.</summary>
public static class FunAdProcess
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static Result Run(string dataRoot, params string[] arguments) => Run(dataRoot, new Dictionary<string, string?>(), arguments);

    /// <param name="settings">Configuration keys ("FunAd:Storage") passed as the environment variables the app reads ("FunAd__Storage").</param>
    public static Result Run(string dataRoot, IReadOnlyDictionary<string, string?> settings, params string[] arguments)
    {
        using var process = Start(dataRoot, settings, arguments);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"funad {string.Join(' ', arguments)} did not finish in 5 minutes.");
        }
        return new Result(process.ExitCode, output.Result, error.Result);
    }

    /// <summary>Starts funad without waiting, for tests that stop it themselves.</summary>
    public static Process Start(string dataRoot, params string[] arguments) => Start(dataRoot, new Dictionary<string, string?>(), arguments);

    public static Process Start(string dataRoot, IReadOnlyDictionary<string, string?> settings, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = dataRoot,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "funad.dll"));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["FunAd__DataRoot"] = dataRoot;
        foreach (var (key, value) in settings) start.Environment[key.Replace(":", "__")] = value;
        return Process.Start(start)!;
    }
}
