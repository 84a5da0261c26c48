using System.Security.Claims;
using FunAd.Engine.FunAdBank;
using FunAd.Engine.Models;
using FunAd.Engine.Training;
using FunAd.Jobs.Audit;
using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Projects;
using FunAd.Jobs.Storage;
using FunAd.Jobs.Training;
using FunAd.Web.Hosting;
using FunAd.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace FunAd.Web.Api;

/// <summary>The HTTP API under /api/v1 (projects, images, runs, keys, users) and the image files behind the pages.</summary>
public static class ApiEndpoints
{
    public static void MapFunAdApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").RequireAuthorization().AddEndpointFilter(ErrorsAsReplies);

        api.MapGet("/projects", (ProjectCatalogue projects, bool? includeArchived, CancellationToken token) => projects.ListAsync(includeArchived ?? false, token))
            .WithSummary("List projects (archived ones with includeArchived=true).");
        api.MapPost("/projects", async (CreateProjectRequest body, ProjectCatalogue projects, ClaimsPrincipal user, CancellationToken token) =>
            {
                var created = await projects.CreateAsync(body.Name, body.Mode ?? "defect", body.Backbone ?? "", user.Identity?.Name, token);
                return Results.Created($"/api/v1/projects/{created.Id}", created);
            })
            .RequireAuthorization(Policies.Editor).WithSummary("Create a project: name, mode (defect|semantic), backbone (resnet18 or a server path).");
        api.MapGet("/projects/{id:int}", async (int id, ProjectCatalogue projects, CancellationToken token) =>
                await projects.GetAsync(id, token) is { } p ? Results.Ok(p) : NotFound($"Project {id} does not exist."))
            .WithSummary("Read a project.");
        api.MapPatch("/projects/{id:int}", (int id, UpdateProjectRequest body, ProjectCatalogue projects, ClaimsPrincipal user, CancellationToken token) =>
                projects.UpdateAsync(id, body.Name, body.Archived, user.Identity?.Name, token))
            .RequireAuthorization(Policies.Editor).WithSummary("Rename or archive (archived=true) / restore a project.");
        api.MapGet("/projects/{id:int}/labels", (int id, ProjectCatalogue projects, CancellationToken token) => projects.CountLabelsAsync(id, token))
            .WithSummary("Count a project's images by ground-truth label.");
        api.MapGet("/projects/{id:int}/images", async (int id, string? label, int? skip, int? take, ProjectCatalogue projects, CancellationToken token) =>
            {
                var (items, total) = await projects.ListImagesAsync(id, ParseLabel(label), skip ?? 0, take ?? 100, token);
                return new ImagePageReply(total, skip ?? 0, items.Select(ToReply).ToList());
            })
            .WithSummary("A page of a project's images (label=unlabeled|normal|anomalous, skip, take <= 1000).");

        api.MapUploadEndpoint();
        api.MapResultsEndpoints(app);

        api.MapGet("/projects/{id:int}/runs", async (int id, IDbContextFactory<CatalogueDbContext> factory, CancellationToken token) =>
            {
                await using var db = await factory.CreateDbContextAsync(token);
                var runs = await db.Runs.AsNoTracking().Where(r => r.ProjectId == id).ToListAsync(token);
                return runs.OrderByDescending(r => r.Id).Select(RunReply.From).ToList();
            })
            .WithSummary("List a project's training runs, newest first.");
        api.MapPost("/projects/{id:int}/runs", async (int id, StartRunRequest body, RunLauncher launcher, ClaimsPrincipal user, CancellationToken token) =>
            {
                var settings = new RunSettings(body.Method ?? AnomalyMethod.Default, body.Profile ?? FunAdProfiles.Fast, body.Seed ?? 0,
                    body.Parameters, body.CoresetRatio ?? 0.1, body.ExcludeConfirmedDefects ?? false);
                var run = await launcher.StartAsync(id, settings, user.Identity?.Name, token);
                return Results.Created($"/api/v1/runs/{run.Id}", RunReply.From(run));
            })
            .RequireAuthorization(Policies.Editor)
            .WithSummary("Queue a training run: method (funad-bank, the default|funad|patchcore), profile (fast|paper|custom), seed, parameters {name: value}.");
        api.MapGet("/parameters", (string? mode, string? profile, string? method) =>
            {
                var semantic = DetectionModeParser.Parse(mode) == DetectionMode.Semantic;
                var options = FunAdProfiles.Get(profile ?? FunAdProfiles.Fast, semantic);
                var parameters = AnomalyMethod.Require(method ?? AnomalyMethod.Default) == AnomalyMethod.FunAdBank
                    ? FunAdParameters.Describe(new FunAdBankOptions()).Concat(FunAdParameters.Describe(options))
                    : FunAdParameters.Describe(options);
                return parameters.Select(p => new ParameterReply(p.Name, p.Type.Name, p.Value, p.Description)).ToList();
            })
            .WithSummary("Every parameter of a method (funad-bank: its own, then FUN-AD's; funad: FUN-AD's) with its value in a profile (fast|paper) and mode, and what it does.");

        api.MapGet("/runs/{id:int}", async (int id, IDbContextFactory<CatalogueDbContext> factory, CancellationToken token) =>
            {
                await using var db = await factory.CreateDbContextAsync(token);
                return await db.Runs.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, token) is { } run
                    ? Results.Ok(RunReply.From(run))
                    : NotFound($"Run {id} does not exist.");
            })
            .WithSummary("A run's status and progress (phase, share done, epoch, loss, share pseudo-labelled anomalous, ETA).");
        api.MapGet("/runs/{id:int}/epochs", async (int id, IDbContextFactory<CatalogueDbContext> factory, CancellationToken token) =>
            {
                await using var db = await factory.CreateDbContextAsync(token);
                return await db.RunEpochs.AsNoTracking().Where(e => e.RunId == id).OrderBy(e => e.Epoch)
                    .Select(e => new EpochReply(e.Epoch, e.Loss, e.BceLoss, e.SmoothnessLoss, e.AnomalousShare)).ToListAsync(token);
            })
            .WithSummary("A FUN-AD run's losses per finished epoch.");
        api.MapGet("/runs/{id:int}/log", async (int id, IDbContextFactory<CatalogueDbContext> factory, CancellationToken token) =>
            {
                await using var db = await factory.CreateDbContextAsync(token);
                var lines = await db.RunLog.AsNoTracking().Where(e => e.RunId == id).OrderBy(e => e.Id).ToListAsync(token);
                return lines.Select(e => new LogReply(e.At, e.Message)).ToList();
            })
            .WithSummary("A run's log.");
        api.MapPost("/runs/{id:int}/cancel", async (int id, RunLauncher launcher, ClaimsPrincipal user, CancellationToken token) =>
                await launcher.CancelAsync(id, user.Identity?.Name, token) ? Results.Accepted($"/api/v1/runs/{id}") : Results.Conflict(new ErrorReply($"Run {id} has already finished.")))
            .RequireAuthorization(Policies.Editor).WithSummary("Cancel a queued or running run.");
        api.MapGet("/runs/{id:int}/model.onnx", async (int id, IDbContextFactory<CatalogueDbContext> factory, ArtifactStore store, AuditLog audit,
                ClaimsPrincipal user, CancellationToken token) =>
            {
                await using var db = await factory.CreateDbContextAsync(token);
                var run = await db.Runs.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, token);
                if (run is null) return NotFound($"Run {id} does not exist.");
                if (run.OnnxPath is null || !store.Exists(run.OnnxPath)) return NotFound($"Run {id} has no model yet (status {run.Status.ToString().ToLowerInvariant()}).");
                await audit.RecordAsync(user.Identity?.Name, "model downloaded", $"run {id}", null, token);
                return Results.File(store.Resolve(run.OnnxPath), "application/octet-stream", $"funad-run{id}-{run.Method}.onnx");
            })
            .WithSummary("Download a finished run's model: one ONNX file (input image, outputs pred_score and anomaly_map).");

        api.MapGet("/workers", async (FunAd.Jobs.Workers.WorkerRegistry registry, CancellationToken token) =>
                (await registry.ListAsync(token: token)).Select(w => new WorkerReply(w.Node.Name, w.Node.Role, w.State, w.Node.DeviceKind, w.Node.Device,
                    w.Node.MemoryBytes, w.Node.Queues.Split(','), w.Node.JobSlots, w.Node.StartedAt, w.Node.SeenAt, w.Running.Select(r => r.RunId).ToArray())))
            .WithSummary("List the processes that take training jobs (seen in the last day): device, queues, state (alive, silent, stopped) and the runs they train now.");
        var admin = api.MapGroup("").RequireAuthorization(Policies.Admin);
        admin.MapGet("/api-keys", (ApiKeyService keys, CancellationToken token) => keys.ListAsync(token)).WithSummary("List API keys (admins).");
        admin.MapPost("/api-keys", async (CreateApiKeyRequest body, ApiKeyService keys, ClaimsPrincipal user, CancellationToken token) =>
            {
                var (key, secret) = await keys.CreateAsync(body.Name, body.Role, user.Identity?.Name, token);
                return Results.Created($"/api/v1/api-keys/{key.Id}", new CreatedApiKeyReply(key.Id, key.Name, key.Role, secret));
            })
            .WithSummary("Create an API key (admins); the reply holds the key, shown only this once.");
        admin.MapDelete("/api-keys/{id:int}", async (int id, ApiKeyService keys, ClaimsPrincipal user, CancellationToken token) =>
                await keys.RevokeAsync(id, user.Identity?.Name, token) ? Results.NoContent() : NotFound($"API key {id} does not exist or is already revoked."))
            .WithSummary("Revoke an API key (admins).");
        admin.MapGet("/users", (UserDirectory users) => users.ListAsync()).WithSummary("List users and their roles (admins).");
        admin.MapGet("/audit", (AuditLog audit, int? take, string? action, CancellationToken token) => audit.ListAsync(take ?? 200, action, token))
            .WithSummary("The audit log, newest first (admins): sign-ins, uploads, runs, verdicts, thresholds, downloads, keys, users.");
        admin.MapPost("/users", async (CreateUserRequest body, UserDirectory users, ClaimsPrincipal user) =>
                Results.Created("/api/v1/users", await users.CreateAsync(body.Email, body.Password, body.Role, user.Identity?.Name)))
            .WithSummary("Create a user with a role (admins).");
        admin.MapPut("/users/{id}/role", async (string id, SetRoleRequest body, UserDirectory users, ClaimsPrincipal user) =>
            {
                await users.SetRoleAsync(id, body.Role, user.Identity?.Name);
                return Results.NoContent();
            })
            .WithSummary("Give a user another role (admins); the user's sessions end within a minute and sign in again with the new role.");
        admin.MapPut("/users/{id}/password", async (string id, SetPasswordRequest body, UserDirectory users, ClaimsPrincipal user) =>
            {
                await users.SetPasswordAsync(id, body.Password, user.Identity?.Name);
                return Results.NoContent();
            })
            .WithSummary("Set a user's password (admins); the user's sessions end within a minute.");
        admin.MapPost("/users/{id}/end-sessions", async (string id, UserDirectory users, ClaimsPrincipal user) =>
            {
                await users.EndSessionsAsync(id, user.Identity?.Name);
                return Results.NoContent();
            })
            .WithSummary("End every session of a user (admins): their cookies and open pages are refused within a minute.");

        // Image files for the pages and scripts: same rules as the API (signed in or a key).
        var files = app.MapGroup("/files").RequireAuthorization().ExcludeFromDescription();
        files.MapGet("/images/{id:long}", (long id, IDbContextFactory<CatalogueDbContext> factory, ArtifactStore store) =>
            ServeImage(id, factory, store, i => i.StoredPath, path => ImageContentTypes.Of(path)));
        files.MapGet("/images/{id:long}/thumbnail", (long id, IDbContextFactory<CatalogueDbContext> factory, ArtifactStore store) =>
            ServeImage(id, factory, store, i => ArtifactStore.ThumbnailPath(i.ProjectId, i.ContentHash), _ => "image/jpeg"));
        files.MapGet("/images/{id:long}/mask", (long id, IDbContextFactory<CatalogueDbContext> factory, ArtifactStore store) =>
            ServeImage(id, factory, store, i => i.MaskPath, _ => "image/png"));
    }

    public static ImageReply ToReply(ImageAsset i) => new(i.Id, i.OriginalName, i.ContentHash, i.SizeBytes, i.Width, i.Height,
        i.Label.ToString().ToLowerInvariant(), i.DefectType, i.MaskPath is not null, $"/files/images/{i.Id}/thumbnail", $"/files/images/{i.Id}");

    public static ImageLabel? ParseLabel(string? label) => label?.Trim().ToLowerInvariant() switch
    {
        null or "" or "all" => null,
        "unlabeled" => ImageLabel.Unlabeled,
        "normal" => ImageLabel.Normal,
        "anomalous" => ImageLabel.Anomalous,
        _ => throw new ArgumentException($"Unknown label '{label}': use unlabeled, normal or anomalous."),
    };

    private static async Task<IResult> ServeImage(long id, IDbContextFactory<CatalogueDbContext> factory, ArtifactStore store,
        Func<ImageAsset, string?> pathOf, Func<string, string> contentType)
    {
        await using var db = await factory.CreateDbContextAsync();
        var image = await db.Images.AsNoTracking().SingleOrDefaultAsync(i => i.Id == id);
        var path = image is null ? null : pathOf(image);
        if (path is null || !store.Exists(path)) return Results.NotFound();
        return Results.File(store.Resolve(path), contentType(path), enableRangeProcessing: false);
    }

    private static IResult NotFound(string message) => Results.NotFound(new ErrorReply(message));

    /// <summary>Bad input becomes 400 with the reason, a missing thing 404, a state conflict 409: never a bare 500.</summary>
    private static async ValueTask<object?> ErrorsAsReplies(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (KeyNotFoundException e) { return NotFound(e.Message); }
        catch (FunAd.Jobs.Scoring.ScoringRefusedException e) { return Results.Json(new ErrorReply(e.Message), statusCode: e.StatusCode); }
        catch (ArgumentException e) { return Results.BadRequest(new ErrorReply(e.Message)); }
        catch (InvalidOperationException e) when (FunAd.Jobs.Storage.StorageFailure.Storage(e) is null) { return Results.Conflict(new ErrorReply(e.Message)); }
        // A full or read-only data root: 507 with the reason, not a bare 500, so scripts and the upload panel can say what to do.
        catch (Exception e) when (FunAd.Jobs.Storage.StorageFailure.Storage(e) is { } reason)
        {
            return Results.Json(new ErrorReply(reason), statusCode: StatusCodes.Status507InsufficientStorage);
        }
    }
}
