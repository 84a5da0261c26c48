namespace FunAd.Web.Security;

/// <summary>
/// Response headers that keep the app's pages from being framed, sniffed or leaking their addresses,
/// and a content policy that lets pages load only this site's scripts, styles and images (inline
/// styles stay allowed: MudBlazor sets them). The Hangfire dashboard brings its own inline scripts, so
/// its pages get every header but the content policy.
/// </summary>
public sealed class SecurityHeaders(RequestDelegate next)
{
    public const string ContentPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
        "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            if (!context.Request.Path.StartsWithSegments("/hangfire")) headers.ContentSecurityPolicy = ContentPolicy;
            return Task.CompletedTask;
        });
        return next(context);
    }
}
