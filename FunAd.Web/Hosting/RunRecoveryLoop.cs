using FunAd.Jobs.Training;

namespace FunAd.Web.Hosting;

/// <summary>Runs <see cref="RunRecovery.LoopAsync"/> in the background for as long as the app runs.</summary>
public sealed class RunRecoveryLoop(RunRecovery recovery) : BackgroundService
{
    public static TimeSpan Every { get; set; } = TimeSpan.FromSeconds(30);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => recovery.LoopAsync(Every, stoppingToken);
}
