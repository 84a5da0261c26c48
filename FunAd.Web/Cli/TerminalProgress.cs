using FunAd.Engine.Models;
using Spectre.Console;

namespace FunAd.Web.Cli;

/// <summary>
/// Shows engine progress on stderr (stdout stays for results): live bars on a terminal, one line
/// per stage and per tenth of it when stderr is a file or a pipe.
/// </summary>
public static class TerminalProgress
{
    public static T Run<T>(Func<IProgress<StageProgress>, T> work)
    {
        if (Console.IsErrorRedirected) return work(new LineProgress());
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context => work(new BarProgress(context)));
    }

    private sealed class BarProgress(ProgressContext context) : IProgress<StageProgress>
    {
        private readonly Dictionary<string, ProgressTask> _tasks = [];
        private readonly Lock _gate = new();

        public void Report(StageProgress value)
        {
            lock (_gate)
            {
                if (!_tasks.TryGetValue(value.Stage, out var task))
                    _tasks[value.Stage] = task = context.AddTask(value.Stage, maxValue: 1);
                task.Value = Math.Clamp(value.Fraction, 0, 1);
                task.Description = string.IsNullOrEmpty(value.Detail) ? value.Stage : $"{value.Stage}: {Markup.Escape(Shorten(value.Detail))}";
            }
        }

        private static string Shorten(string text) => text.Length <= 40 ? text : "…" + text[^39..];
    }

    private sealed class LineProgress : IProgress<StageProgress>
    {
        private readonly Dictionary<string, int> _lastTenth = [];
        private readonly Lock _gate = new();

        public void Report(StageProgress value)
        {
            lock (_gate)
            {
                var tenth = (int)Math.Floor(Math.Clamp(value.Fraction, 0, 1) * 10);
                if (_lastTenth.TryGetValue(value.Stage, out var last) && last == tenth) return;
                _lastTenth[value.Stage] = tenth;
                Console.Error.WriteLine($"{value.Stage} {tenth * 10,3}% {value.Detail}");
            }
        }
    }
}
