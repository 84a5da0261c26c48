using System.Security.Claims;
using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Projects;
using FunAd.Web.Security;

namespace FunAd.Web.Api;

/// <summary>/api/v1/projects: create, read, rename, archive, and a project's labels and images.</summary>
public static class ProjectsEndpoints
{
    public static void MapProjectsEndpoints(this RouteGroupBuilder api)
    {
        var projects = api.MapGroup("/projects").WithTags("Projects");
        projects.MapGet("", (ProjectCatalogue catalogue, bool? includeArchived, CancellationToken token) => catalogue.ListAsync(includeArchived ?? false, token))
            .WithSummary("List projects (archived ones with includeArchived=true).");
        projects.MapPost("", async (CreateProjectRequest body, ProjectCatalogue catalogue, ClaimsPrincipal user, CancellationToken token) =>
            {
                var created = await catalogue.CreateAsync(body.Name, body.Mode ?? "defect", body.Backbone ?? "", user.Identity?.Name, token);
                return TypedResults.Created($"/api/v1/projects/{created.Id}", created);
            })
            .RequireAuthorization(Policies.Editor).WithSummary("Create a project: name, mode (defect|semantic), backbone (resnet18 or a file of the data root's backbones folder).");
        projects.MapGet("/{id:int}", async (int id, ProjectCatalogue catalogue, CancellationToken token) =>
                TypedResults.Ok(await catalogue.GetAsync(id, token) ?? throw new KeyNotFoundException($"Project {id} does not exist.")))
            .WithSummary("Read a project.");
        projects.MapPatch("/{id:int}", (int id, UpdateProjectRequest body, ProjectCatalogue catalogue, ClaimsPrincipal user, CancellationToken token) =>
                catalogue.UpdateAsync(id, body.Name, body.Archived, user.Identity?.Name, token))
            .RequireAuthorization(Policies.Editor).WithSummary("Rename or archive (archived=true) / restore a project.");
        projects.MapDelete("/{id:int}", async (int id, CatalogueDeletion deletion, ClaimsPrincipal user, CancellationToken token) =>
            {
                await deletion.DeleteProjectAsync(id, user.Identity?.Name, token);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Policies.Admin)
            .WithSummary("Delete a project for good (admins): its images, masks, runs, models and scores; 409 while one of its runs is queued or running.");
        projects.MapGet("/{id:int}/labels", (int id, ProjectCatalogue catalogue, CancellationToken token) => catalogue.CountLabelsAsync(id, token))
            .WithSummary("Count a project's images by ground-truth label.");
        api.MapDelete("/images/{id:long}", async (long id, CatalogueDeletion deletion, ClaimsPrincipal user, CancellationToken token) =>
            {
                await deletion.DeleteImageAsync(id, user.Identity?.Name, token);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Policies.Editor).WithTags("Projects")
            .WithSummary("Delete an image for good, with its mask, verdicts, scores and heatmaps; 409 while a run of its project is queued or running.");
        api.MapGet("/images/{id:long}", async (long id, ImageCuration curation, CancellationToken token) =>
                TypedResults.Ok(ImageDetailReply.From(await curation.GetAsync(id, token))))
            .WithTags("Projects").WithSummary("One image: its label, mask, latest verdict and its score in every run that scored it.");
        api.MapPatch("/images/{id:long}", async (long id, UpdateImageRequest body, ImageCuration curation, ClaimsPrincipal user, CancellationToken token) =>
                TypedResults.Ok(ImageReply.From(await curation.ChangeAsync(id,
                    new ImageChange(body.Label is null ? null : ImageLabels.Parse(body.Label), body.DefectType, body.LeftOutOfTraining), user.Identity?.Name, token))))
            .RequireAuthorization(Policies.Editor).WithTags("Projects")
            .WithSummary("Relabel an image (label=unlabeled|normal|anomalous, defectType) or leave it out of training (leftOutOfTraining); 400 for a masked image relabelled as not defective.");
        projects.MapGet("/{id:int}/images", async (int id, string? label, int? skip, int? take, string? sort, ProjectCatalogue catalogue, CancellationToken token) =>
            {
                var (items, total) = await catalogue.ListImagesAsync(id, ImageLabels.ParseFilter(label), skip ?? 0, take ?? 100, token, ImageOrders.Parse(sort));
                return new ImagePageReply(total, skip ?? 0, items.Select(ImageReply.From).ToList());
            })
            .WithSummary("A page of a project's images (label=unlabeled|normal|anomalous, sort=uploaded|newest|name, skip, take <= 1000).");
    }
}
