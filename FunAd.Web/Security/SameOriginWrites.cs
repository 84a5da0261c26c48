namespace FunAd.Web.Security;

/// <summary>
/// Refuses API and file writes (POST, PUT, PATCH, DELETE) sent with the sign-in cookie from another
/// site: the browser's Origin (or Sec-Fetch-Site) must say the page came from this app. SameSite=Strict
/// on the cookie stops most such requests already; this is the second wall, and it also covers a
/// sibling subdomain, which SameSite counts as the same site. Requests with an API key, and clients that
/// send no Origin (scripts, curl), are not browsers' cross-site requests and pass.
/// </summary>
public sealed class SameOriginWrites(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!SecuritySetup.IsApi(request) || HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)
            || request.Headers.ContainsKey(ApiKeyService.Header) || IsSameOrigin(request))
            return next(context);
        return Api.ApiProblems.Problem(StatusCodes.Status403Forbidden,
            "Refused: a change sent from another site's page. Use this app's pages, or an API key from scripts.").ExecuteAsync(context);
    }

    private static bool IsSameOrigin(HttpRequest request)
    {
        if (request.Headers["Sec-Fetch-Site"].FirstOrDefault() is { } site && site is "cross-site" or "same-site") return false;
        var origin = request.Headers.Origin.FirstOrDefault();
        if (string.IsNullOrEmpty(origin)) return true;
        // Host and port only: behind a TLS proxy whose scheme is not forwarded, the page is https and
        // the request http, yet the same app.
        return Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }
}
