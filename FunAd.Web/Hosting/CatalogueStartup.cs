using FunAd.Jobs.Hosting;
using FunAd.Jobs.Training;
using FunAd.Web.Security;

namespace FunAd.Web.Hosting;

/// <summary>
/// Before anything serves or runs jobs: the schema is migrated, the roles exist, the first admin is
/// created from FUNAD_ADMIN_EMAIL / FUNAD_ADMIN_PASSWORD when no user exists, and runs a killed
/// process left behind are queued again.
/// </summary>
public sealed class CatalogueStartup(IServiceProvider services, IConfiguration configuration, ILogger<CatalogueStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await CatalogueSetup.MigrateAsync(services, cancellationToken);
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
        var recovered = await services.GetRequiredService<RunRecovery>().RecoverAsync(sameProcessOnly: true, cancellationToken);
        if (recovered > 0) logger.LogWarning("{Count} interrupted run(s) queued again", recovered);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
