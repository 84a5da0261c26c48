using FunAd.Jobs.Catalogue;
using Microsoft.EntityFrameworkCore;

namespace FunAd.Web.Security;

/// <summary>
/// While no user exists, every page leads to the one-time set-up page (the first admin); once a user
/// exists the set-up page is gone for good. The check is remembered once it turns true.
/// </summary>
public sealed class SetupGate(RequestDelegate next)
{
    // One middleware instance per application: remembered per host, never across hosts.
    private volatile bool hasUsers;

    public async Task InvokeAsync(HttpContext context, IDbContextFactory<CatalogueDbContext> factory)
    {
        var path = context.Request.Path;
        var isSetup = path.StartsWithSegments("/setup");
        if (!hasUsers)
        {
            await using var db = await factory.CreateDbContextAsync(context.RequestAborted);
            hasUsers = await db.Users.AnyAsync(context.RequestAborted);
        }
        if (!hasUsers && !isSetup && !IsAsset(path) && HttpMethods.IsGet(context.Request.Method) && !SecuritySetup.IsApi(context.Request))
        {
            context.Response.Redirect("/setup");
            return;
        }
        if (hasUsers && isSetup)
        {
            context.Response.Redirect("/login");
            return;
        }
        await next(context);
    }

    private static bool IsAsset(PathString path) =>
        path.StartsWithSegments("/_framework") || path.StartsWithSegments("/_content") || path.StartsWithSegments("/_blazor") ||
        path.StartsWithSegments("/health") || Path.HasExtension(path.Value);
}
