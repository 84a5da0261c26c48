using Microsoft.AspNetCore.Diagnostics;

namespace FunAd.Web.Api;

/// <summary>
/// Answers what escapes an API or file endpoint as a problem (see <see cref="ApiProblems.Map"/>):
/// handlers throw the domain's exceptions and this one place turns them into statuses. Server
/// errors are logged with the trace id the reply gives; a client's errors are not server faults.
/// </summary>
public sealed class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken token)
    {
        if (!Security.SecuritySetup.IsApi(context.Request)) return false;
        var (status, detail) = ApiProblems.Map(exception, context.TraceIdentifier);
        if (status >= 500 && status != StatusCodes.Status507InsufficientStorage)
            logger.LogError(exception, "Unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);
        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = { Status = status, Detail = detail },
        });
    }
}
