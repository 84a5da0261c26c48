namespace FunAd.Web.Api;

/// <summary>
/// The HTTP API under /api/v1, cut by feature (each a route group in its own file), and the /files
/// behind the pages. Every error, from any of them, is a problem (<see cref="ApiProblems"/>), as the
/// OpenAPI document says.
/// </summary>
public static class ApiRoutes
{
    public static void MapFunAdApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status500InternalServerError);
        api.MapProjectsEndpoints();
        api.MapUploadsEndpoints();
        api.MapRunsEndpoints();
        api.MapResultsEndpoints();
        api.MapWorkersEndpoints();
        api.MapAdminEndpoints();
        app.MapFilesEndpoints();
    }
}
