using FunAd.Jobs.Training;

namespace FunAd.Web.Hosting;

/// <summary>Runs <see cref="RunRecovery.LoopAsync"/> in the background for as long as the app runs.</summary>
/// <remarks>Every process that queues or takes jobs runs it; RunRecovery's conditional updates keep them from handing one run on twice.</remarks>
public sealed class RunRecoveryLoop(RunRecovery recovery) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => recovery.LoopAsync(stoppingToken);
}
