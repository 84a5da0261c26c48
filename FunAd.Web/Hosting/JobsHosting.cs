using FunAd.Jobs.Projects;
using FunAd.Jobs.Storage;
using FunAd.Jobs.Training;
using FunAd.Jobs.Workers;
using FunAd.Web.Security;
using Hangfire;
using Hangfire.Dashboard;

namespace FunAd.Web.Hosting;

/// <summary>Hangfire (on SQLite or PostgreSQL, see <see cref="JobsStorage"/>), the training job and the services around it, for the web app and for <c>funad worker</c>.</summary>
public static class JobsHosting
{
    /// <summary>The web app's jobs: everything a worker has, plus start-up (migration, first admin) and its own job server.</summary>
    public static IServiceCollection AddFunAdJobs(this IServiceCollection services)
    {
        services.AddFunAdJobServices();
        services.AddHostedService<CatalogueStartup>();
        services.AddHostedService(sp => new TrainingServer(ServerRole.Web, sp, sp.GetRequiredService<ILogger<TrainingServer>>()));
        return services;
    }

    /// <summary>What any process that queues or runs training jobs needs: Hangfire's storage, the job and the services around it, and the recovery loop.</summary>
    public static IServiceCollection AddFunAdJobServices(this IServiceCollection services)
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
        services.AddSingleton(sp => new BackboneFolder(sp.GetRequiredService<ArtifactStore>().Root));
        services.AddSingleton<ProjectCatalogue>();
        services.AddSingleton<CatalogueDeletion>();
        services.AddSingleton<ImageCuration>();
        services.AddSingleton<FunAd.Jobs.Audit.AuditLog>();
        services.AddSingleton<FunAd.Jobs.Uploads.ProjectUploads>();
        services.AddSingleton<RunLauncher>();
        services.AddSingleton<RunRecovery>();
        services.AddSingleton<RunQueries>();
        services.AddSingleton<WorkerRegistry>();
        services.AddTransient<TrainingJob>();
        services.AddSingleton<FunAd.Jobs.Scoring.RunScoring>();
        services.AddSingleton<FunAd.Jobs.Scoring.RunResults>();
        services.AddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection(FunAd.Jobs.Scoring.ScoringLimits.Section).Get<FunAd.Jobs.Scoring.ScoringLimits>() ?? new FunAd.Jobs.Scoring.ScoringLimits());
        services.AddSingleton<FunAd.Jobs.Scoring.RunInference>();
        services.AddSingleton<FunAd.Jobs.Scoring.RunComparison>();
        services.AddHostedService<RunRecoveryLoop>();
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
