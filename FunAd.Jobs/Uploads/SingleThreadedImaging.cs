using SixLabors.ImageSharp;

namespace FunAd.Jobs.Uploads;

/// <summary>
/// The ImageSharp configuration thumbnails and masks are encoded with: one thread, as in the engine's
/// loader, so that an upload never takes every core from the web server and the training jobs.
/// </summary>
internal static class SingleThreadedImaging
{
    public static Configuration Configuration { get; } = Create();

    private static Configuration Create()
    {
        var configuration = Configuration.Default.Clone();
        configuration.MaxDegreeOfParallelism = 1;
        return configuration;
    }
}
