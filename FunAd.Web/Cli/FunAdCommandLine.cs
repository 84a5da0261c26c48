using System.CommandLine;
using FunAd.Web.Hosting;

namespace FunAd.Web.Cli;

/// <summary>
/// The verbs of the funad executable. With no verb, or "serve", it runs the web app and passes any
/// other arguments (such as --urls) to the ASP.NET Core host.
/// </summary>
public static class FunAdCommandLine
{
    public static Task<int> InvokeAsync(string[] args)
    {
        var serve = new Command("serve", "Run the web app (the default).") { TreatUnmatchedTokensAsErrors = false };
        serve.SetAction((result, _) => WebApp.RunAsync([.. result.UnmatchedTokens]));
        var worker = new Command("worker",
            "Take training jobs without a web UI (for more machines and GPUs): same settings as the app, e.g. FunAd__Storage, ConnectionStrings__Catalogue, FunAd__DataRoot, FunAd__Queues.")
        { TreatUnmatchedTokensAsErrors = false };
        worker.SetAction((result, _) => WorkerHost.RunAsync([.. result.UnmatchedTokens]));
        var root = new RootCommand("FunAd: fully unsupervised visual anomaly detection (FUN-AD).")
        {
            serve,
            worker,
            TrainCommand.Create(),
            ScoreCommand.Create(),
            EvalCommand.Create(),
            ExportCommand.Create(),
            BenchCommand.Create(),
            CheckCommand.Create(),
            BackupCommand.Create(),
            RestoreCommand.Create(),
        };
        root.TreatUnmatchedTokensAsErrors = false;
        root.SetAction((result, _) =>
        {
            // Host options such as --urls pass through; a bare word is a mistyped verb, not a host option.
            if (result.UnmatchedTokens.FirstOrDefault() is { } first && !first.StartsWith('-'))
            {
                Console.Error.WriteLine($"funad: unknown verb '{first}'; see funad --help");
                return Task.FromResult(2);
            }
            return WebApp.RunAsync([.. result.UnmatchedTokens]);
        });
        return root.Parse(args).InvokeAsync();
    }
}
