using FunAd.Jobs.Hosting;
using FunAd.Jobs.Projects;
using FunAd.Jobs.Storage;
using FunAd.Jobs.Training;
using FunAd.Web.Security;
using Hangfire;
using Hangfire.Dashboard;

namespace FunAd.Web.Hosting;

/// <summary>Hangfire (on SQLite or PostgreSQL, see <see cref="JobsStorage"/>): a server for training (one job at a time per process) and one for light work.</summary>
public static class JobsHosting
{
    public static IServiceCollection AddFunAdJobs(this IServiceCollection services)
    {
        services.AddFunAdJobStorage();
        services.AddHangfire((sp, c) => c
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseStorage(sp.GetRequiredService<JobStorage>())
            .UseFunAdLogProvider(sp));
        services.AddSingleton<RunCancellation>();
        services.AddSingleton(sp => new EngineDevice(() =>
        {
            var status = sp.GetRequiredService<EngineStatus>();
            status.Start();
            status.WhenResolvedAsync().GetAwaiter().GetResult();
            return status.Device ?? throw new InvalidOperationException($"The compute engine is unavailable: {status.Error}");
        }));
        services.AddSingleton<ProjectCatalogue>();
        services.AddSingleton<FunAd.Jobs.Audit.AuditLog>();
        services.AddSingleton<RunLauncher>();
        services.AddSingleton<RunRecovery>();
        services.AddTransient<TrainingJob>();
        services.AddSingleton<FunAd.Jobs.Scoring.RunResults>();
        services.AddSingleton<FunAd.Jobs.Scoring.RunInference>();
        services.AddSingleton<FunAd.Jobs.Scoring.RunComparison>();
        services.AddHostedService<CatalogueStartup>();
        services.AddHostedService<RunRecoveryLoop>();
        services.AddHangfireServer((sp, o) =>
        {
            o.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}:training";
            o.Queues = [TrainingJob.Queue];
            o.WorkerCount = Math.Max(1, sp.GetRequiredService<CatalogueOptions>().TrainingWorkers);
            o.ShutdownTimeout = TimeSpan.FromSeconds(10);
        });
        return services;
    }

    public static void MapJobsDashboard(this IEndpointRouteBuilder app) =>
        app.MapHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [new AdminOnly()],
            DashboardTitle = "FunAd jobs",
            AppPath = "/",
        }).RequireAuthorization(Policies.Admin);

    /// <summary>The dashboard's own check, behind the endpoint's policy: admins only.</summary>
    private sealed class AdminOnly : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsInRole(Jobs.Catalogue.Roles.Admin);
    }
}
