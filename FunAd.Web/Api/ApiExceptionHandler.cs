using Microsoft.AspNetCore.Diagnostics;

namespace FunAd.Web.Api;

/// <summary>
/// Turns what escapes an API or file endpoint into the documented reply, <c>{"error": "..."}</c>:
/// a request the server could not read (malformed JSON, a broken or truncated multipart body, headers
/// or a body over the limits) is the client's error, 400 or 413 with the reason; anything else is a
/// 500 that names no internals (the log has them, under the trace id the reply gives).
/// </summary>
public sealed class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken token)
    {
        if (!Security.SecuritySetup.IsApi(context.Request)) return false;
        var (status, reason) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, Reason(bad)),
            // Thrown while the multipart body is read: a missing boundary, a truncated body, a section header over 16 KB.
            // Form and multipart readers outside FormReading (antiforgery, minimal API binding).
            InvalidDataException => (StatusCodes.Status400BadRequest, $"The request body could not be read: {exception.Message}"),
            _ => (StatusCodes.Status500InternalServerError, $"Internal error; the server log has the details under trace id {context.TraceIdentifier}."),
        };
        if (status >= 500) logger.LogError(exception, "Unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);
        context.Response.StatusCode = status;
        await context.Response.WriteAsJsonAsync(new ErrorReply(reason), token);
        return true;
    }

    private static string Reason(BadHttpRequestException bad) => bad.StatusCode switch
    {
        StatusCodes.Status413PayloadTooLarge => "The request body is over the server's limit for this endpoint.",
        _ when bad.InnerException is System.Text.Json.JsonException json => $"The JSON body could not be read: {json.Message}",
        _ => bad.Message,
    };
}
