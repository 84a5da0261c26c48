using FunAd.Engine.Features;
using FunAd.Engine.Imaging;

namespace FunAd.Web.Cli;

/// <summary>
/// Runs a verb's work and turns failures into the contract's exit codes: 0 success, 1 failure with
/// a one-line reason on stderr, 130 when cancelled (Ctrl+C).
/// </summary>
public static class CommandRunner
{
    public static Task<int> Run(Action work) => RunAsync(() =>
    {
        work();
        return Task.CompletedTask;
    });

    public static async Task<int> RunAsync(Func<Task> work)
    {
        try
        {
            await work();
            return 0;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("funad: cancelled");
            return 130;
        }
        // DbException: a database that cannot be reached or read (PostgreSQL down, wrong password) is not a fault of FunAd.
        catch (Exception e) when (e is ArgumentException or IOException or InvalidDataException or InvalidOperationException
                                       or UnauthorizedAccessException or PlatformNotSupportedException or NotSupportedException
                                       or System.Data.Common.DbException)
        {
            Console.Error.WriteLine($"funad: {OneLine(e.Message)}");
            return 1;
        }
        catch (Exception e)
        {
            // A fault of FunAd itself (or of a native library): still one line, with what it was.
            Console.Error.WriteLine($"funad: internal error ({e.GetType().Name}): {FirstLine(e.Message)}");
            return 1;
        }
    }

    /// <summary>Every image under <paramref name="folder"/>; what is skipped (links, other files) is said on stderr, and no image at all is an error.</summary>
    public static IReadOnlyList<ImageSource> ScanImages(string folder)
    {
        var skipped = new List<string>();
        var sources = ImageFolder.Scan(folder, skipped);
        foreach (var line in skipped) Console.Error.WriteLine($"skipped {line}");
        if (sources.Count == 0) throw new ArgumentException($"{folder}: no images found (looked for {string.Join(", ", ImageLoader.SupportedExtensions)}).");
        return sources;
    }

    public static void ReportRefused(IReadOnlyList<ImageDecodeException> refused)
    {
        foreach (var e in refused) Console.Error.WriteLine($"skipped {OneLine(e.Message)}");
        if (refused.Count > 0) Console.Error.WriteLine($"{refused.Count} image(s) skipped");
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
