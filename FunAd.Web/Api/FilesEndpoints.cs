using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Scoring;
using FunAd.Jobs.Storage;
using FunAd.Web.Hosting;
using Microsoft.EntityFrameworkCore;

namespace FunAd.Web.Api;

/// <summary>
/// /files: the stored images, thumbnails, masks and heatmaps behind the pages and the API's URLs
/// (<see cref="FileUrls"/>), under the API's rules (signed in or a key). Not part of the documented API.
/// </summary>
public static class FilesEndpoints
{
    public static void MapFilesEndpoints(this IEndpointRouteBuilder app)
    {
        var files = app.MapGroup("/files").RequireAuthorization().ExcludeFromDescription();
        files.MapGet("/images/{id:long}", (long id, IDbContextFactory<CatalogueDbContext> factory, ArtifactStore store) =>
            ServeImage(id, factory, store, i => i.StoredPath, path => ImageContentTypes.Of(path)));
        files.MapGet("/images/{id:long}/thumbnail", (long id, IDbContextFactory<CatalogueDbContext> factory, ArtifactStore store) =>
            ServeImage(id, factory, store, i => ArtifactStore.ThumbnailPath(i.ProjectId, i.ContentHash), _ => "image/jpeg"));
        files.MapGet("/images/{id:long}/mask", (long id, IDbContextFactory<CatalogueDbContext> factory, ArtifactStore store) =>
            ServeImage(id, factory, store, i => i.MaskPath, _ => "image/png"));
        files.MapGet("/runs/{id:int}/heatmaps/{imageId:long}", async (int id, long imageId, RunResults results, ArtifactStore store, CancellationToken token) =>
            await results.HeatmapPathAsync(id, imageId, token) is { } path && store.Exists(path)
                ? Results.File(store.Resolve(path), "image/png")
                : Results.NotFound());
        files.MapGet("/runs/{id:int}/heatmaps/{imageId:long}/values", async (int id, long imageId, RunResults results, ArtifactStore store, CancellationToken token) =>
            await results.HeatmapPathAsync(id, imageId, token) is { } heatmap && ArtifactStore.HeatmapValuesBeside(heatmap) is var values && store.Exists(values)
                ? Results.File(store.Resolve(values), "application/octet-stream")
                : Results.NotFound());
    }

    private static async Task<IResult> ServeImage(long id, IDbContextFactory<CatalogueDbContext> factory, ArtifactStore store,
        Func<ImageAsset, string?> pathOf, Func<string, string> contentType)
    {
        await using var db = await factory.CreateDbContextAsync();
        var image = await db.Images.AsNoTracking().SingleOrDefaultAsync(i => i.Id == id);
        var path = image is null ? null : pathOf(image);
        if (path is null || !store.Exists(path)) return Results.NotFound();
        return Results.File(store.Resolve(path), contentType(path), enableRangeProcessing: false);
    }
}
