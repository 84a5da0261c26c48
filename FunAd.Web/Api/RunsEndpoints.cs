using System.Security.Claims;
using FunAd.Engine.FunAdBank;
using FunAd.Engine.MemoryBank;
using FunAd.Engine.Models;
using FunAd.Engine.Training;
using FunAd.Jobs.Audit;
using FunAd.Jobs.Projects;
using FunAd.Jobs.Storage;
using FunAd.Jobs.Training;
using FunAd.Web.Security;

namespace FunAd.Web.Api;

/// <summary>/api/v1 runs: queue a run, follow it (status, epochs, log), cancel it, download its model; the methods' parameters.</summary>
public static class RunsEndpoints
{
    public static void MapRunsEndpoints(this RouteGroupBuilder api)
    {
        var tagged = api.MapGroup("").WithTags("Runs");
        tagged.MapGet("/projects/{id:int}/runs", async (int id, RunQueries runs, CancellationToken token) =>
                (await runs.ListAsync(id, token)).Select(RunReply.From).ToList())
            .WithSummary("List a project's training runs, newest first.");
        tagged.MapPost("/projects/{id:int}/runs", async (int id, StartRunRequest body, RunLauncher launcher, ClaimsPrincipal user, CancellationToken token) =>
            {
                var settings = new RunSettings(body.Method ?? AnomalyMethod.Default, body.Profile ?? FunAdProfiles.Fast, body.Seed ?? 0,
                    body.Parameters, body.CoresetRatio ?? CoresetBank.DefaultRatio, body.ExcludeConfirmedDefects ?? false, body.HoldOutLabelled ?? false);
                var run = await launcher.StartAsync(id, settings, user.Identity?.Name, token);
                return TypedResults.Created($"/api/v1/runs/{run.Id}", RunReply.From(run));
            })
            .RequireAuthorization(Policies.Editor)
            .WithSummary("Queue a training run: method (funad-bank, the default|funad|patchcore), profile (fast|paper|custom), seed, parameters {name: value}, holdOutLabelled (true: images with uploaded labels are not trained on, so metrics over them are out-of-sample).");
        tagged.MapGet("/parameters", (string? mode, string? profile, string? method) =>
            {
                var semantic = DetectionModeParser.Parse(mode) == DetectionMode.Semantic;
                var options = FunAdProfiles.Get(profile ?? FunAdProfiles.Fast, semantic);
                var parameters = AnomalyMethod.Require(method ?? AnomalyMethod.Default) == AnomalyMethod.FunAdBank
                    ? FunAdParameters.Describe(new FunAdBankOptions()).Concat(FunAdParameters.Describe(options))
                    : FunAdParameters.Describe(options);
                return parameters.Select(p => new ParameterReply(p.Name, (Nullable.GetUnderlyingType(p.Type) ?? p.Type).Name, p.Value, p.Description)).ToList();
            })
            .WithSummary("Every parameter of a method (funad-bank: its own, then FUN-AD's; funad: FUN-AD's) with its value in a profile (fast|paper) and mode, and what it does.");

        var runs = tagged.MapGroup("/runs/{id:int}");
        runs.MapGet("", async (int id, RunQueries queries, CancellationToken token) => TypedResults.Ok(RunReply.From(await queries.RequireAsync(id, token))))
            .WithSummary("A run's status and progress (phase, share done, epoch, loss, share pseudo-labelled anomalous, ETA).");
        runs.MapGet("/epochs", async (int id, RunQueries queries, CancellationToken token) =>
                (await queries.EpochsAsync(id, token)).Select(e => new EpochReply(e.Epoch, e.Loss, e.BceLoss, e.SmoothnessLoss, e.AnomalousShare)).ToList())
            .WithSummary("A FUN-AD run's losses per finished epoch.");
        runs.MapGet("/log", async (int id, RunQueries queries, CancellationToken token) =>
                (await queries.LogAsync(id, token)).Select(e => new LogReply(e.At, e.Message)).ToList())
            .WithSummary("A run's log.");
        runs.MapPost("/cancel", async (int id, RunLauncher launcher, ClaimsPrincipal user, CancellationToken token) =>
                await launcher.CancelAsync(id, user.Identity?.Name, token)
                    ? TypedResults.Accepted($"/api/v1/runs/{id}")
                    : throw new InvalidOperationException($"Run {id} has already finished."))
            .RequireAuthorization(Policies.Editor).WithSummary("Cancel a queued or running run (409 when it has already finished).");
        runs.MapDelete("", async (int id, CatalogueDeletion deletion, ClaimsPrincipal user, CancellationToken token) =>
            {
                await deletion.DeleteRunAsync(id, user.Identity?.Name, token);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Policies.Editor).WithSummary("Delete a finished run for good: its model, scores, heatmaps and log; 409 while it is queued or running.");
        runs.MapGet("/model.onnx", async (int id, RunQueries queries, ArtifactStore store, AuditLog audit, ClaimsPrincipal user, CancellationToken token) =>
            {
                var run = await queries.RequireAsync(id, token);
                if (run.Outcome.OnnxPath is null || !store.Exists(run.Outcome.OnnxPath))
                    throw new KeyNotFoundException($"Run {id} has no model yet (status {run.Status.ToString().ToLowerInvariant()}).");
                await audit.RecordAsync(user.Identity?.Name, "model downloaded", $"run {id}", null, token);
                return TypedResults.PhysicalFile(store.Resolve(run.Outcome.OnnxPath), "application/octet-stream", $"funad-run{id}-{run.Method}.onnx");
            })
            .WithSummary("Download a finished run's model: one ONNX file (input image, outputs pred_score and anomaly_map).");
    }
}
