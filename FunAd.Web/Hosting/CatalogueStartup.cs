using FunAd.Jobs.Hosting;
using FunAd.Jobs.Maintenance;
using FunAd.Jobs.Training;
using FunAd.Jobs.Workers;
using FunAd.Web.Security;

namespace FunAd.Web.Hosting;

/// <summary>
/// Before anything serves or runs jobs: the schema is migrated, the data root is checked against the
/// catalogue, the roles exist, the first admin is created from FUNAD_ADMIN_EMAIL / FUNAD_ADMIN_PASSWORD
/// when no user exists, and runs a killed process left behind are queued again.
/// </summary>
public sealed class CatalogueStartup(IServiceProvider services, IConfiguration configuration, ILogger<CatalogueStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await CatalogueSetup.MigrateAsync(services, cancellationToken);
        await CheckDataRootAsync(cancellationToken);
        await using (var scope = services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserDirectory>();
            await users.EnsureRolesAsync();
            var email = configuration[UserDirectory.AdminEmailVariable];
            var password = configuration[UserDirectory.AdminPasswordVariable];
            if (!string.IsNullOrWhiteSpace(email) && !string.IsNullOrEmpty(password))
            {
                if (await users.CreateFirstAdminAsync(email, password) is { } admin) logger.LogInformation("Created the first admin {Email}", admin.Email);
            }
            else if (!await users.AnyUserAsync())
                logger.LogWarning("No user exists yet: open the app in a browser to create the first admin (or set {Email} and {Password}).",
                    UserDirectory.AdminEmailVariable, UserDirectory.AdminPasswordVariable);
        }
        // A SQLite catalogue with no funad worker alive beside it has one process, so its "running"
        // runs are dead now; otherwise (PostgreSQL, or workers sharing the SQLite file) other workers'
        // runs are dead only once their heartbeat stops or their process on this machine is gone.
        var others = (await services.GetRequiredService<WorkerRegistry>().ListAsync(token: cancellationToken))
            .Any(w => w.State == WorkerStates.Alive && w.Node.Name != WorkerRegistry.ThisProcess && w.Node.Role == "worker");
        var alone = !services.GetRequiredService<CatalogueDatabase>().IsPostgres && !others;
        var recovered = await services.GetRequiredService<RunRecovery>().RecoverAsync(sameProcessOnly: alone, cancellationToken);
        if (recovered > 0) logger.LogWarning("{Count} interrupted run(s) queued again", recovered);
    }

    /// <summary>
    /// Temporary files of killed writes are removed: nothing of this process writes yet, so none is in
    /// use. Anything else found is only logged; rows are repaired when an operator asks (funad check --repair).
    /// </summary>
    private async Task CheckDataRootAsync(CancellationToken cancellationToken)
    {
        try
        {
            var check = services.GetRequiredService<IntegrityCheck>();
            var report = await check.CheckAsync(leaveRecent: TimeSpan.Zero, cancellationToken);
            var removed = check.RemoveTemporaryFiles(report.TemporaryFiles);
            if (removed > 0) logger.LogInformation("Removed {Count} temporary file(s) left by interrupted writes", removed);
            var rest = report with { TemporaryFiles = [] };
            if (!rest.IsClean)
                logger.LogWarning("Data root check of {Root}: {Summary}. Run 'funad check' for the details and 'funad check --repair' to fix what can be fixed.",
                    report.Root, rest.Summary());
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A check that cannot run must not keep the app from serving what is intact.
            logger.LogWarning(e, "The data root check could not run");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
