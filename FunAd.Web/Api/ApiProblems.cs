using FunAd.Jobs.Scoring;
using FunAd.Jobs.Storage;

namespace FunAd.Web.Api;

/// <summary>
/// The API's one error shape, RFC 9457 problem details (<c>{"type", "title", "status", "detail",
/// "traceId"}</c>), and the one table from what a handler throws to the status it answers: a missing
/// thing 404, bad input 400, a state conflict 409, an over-budget request 413/429, a full or read-only
/// data root 507, a request the server could not read 400/413; anything else 500 naming no internals.
/// </summary>
public static class ApiProblems
{
    /// <summary>The status and the reason a client is told for an exception that escaped an endpoint.</summary>
    public static (int Status, string Detail) Map(Exception exception, string traceId) => exception switch
    {
        KeyNotFoundException e => (StatusCodes.Status404NotFound, e.Message),
        ScoringRefusedException e => (e.StatusCode, e.Message),
        BadHttpRequestException bad => (bad.StatusCode, Reason(bad)),
        // Thrown while a multipart body is read: a missing boundary, a truncated body, a section header over 16 KB.
        InvalidDataException e => (StatusCodes.Status400BadRequest, $"The request body could not be read: {e.Message}"),
        ArgumentException e => (StatusCodes.Status400BadRequest, e.Message),
        _ when StorageFailure.Storage(exception) is { } reason => (StatusCodes.Status507InsufficientStorage, reason),
        // RunTransitionException is one: finishing a finished run, cancelling a cancelled one.
        InvalidOperationException e => (StatusCodes.Status409Conflict, e.Message),
        _ => (StatusCodes.Status500InternalServerError, $"Internal error; the server log has the details under trace id {traceId}."),
    };

    /// <summary>
    /// Gives every problem a detail, also those written for a bare status (authentication's 401 and
    /// 403, routing's 404, the rate limiter's 429), so a client always reads the reason in one place.
    /// </summary>
    public static void Complete(ProblemDetailsContext context)
    {
        context.ProblemDetails.Detail ??= context.ProblemDetails.Status switch
        {
            StatusCodes.Status401Unauthorized => $"Sign in, or send an API key in the {Security.ApiKeyService.Header} header.",
            StatusCodes.Status403Forbidden => "Your role does not allow this (viewers read, editors also change, admins also manage users and keys).",
            StatusCodes.Status404NotFound => $"Nothing at {context.HttpContext.Request.Path}: see /openapi/v1.json for the API's addresses.",
            StatusCodes.Status405MethodNotAllowed => $"{context.HttpContext.Request.Method} is not allowed at {context.HttpContext.Request.Path}.",
            StatusCodes.Status429TooManyRequests => "Too many requests: wait a moment and try again.",
            _ => context.ProblemDetails.Title,
        };
    }

    /// <summary>An error reply returned (not thrown) by an endpoint or a middleware.</summary>
    public static IResult Problem(int status, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail: detail, statusCode: status, extensions: extensions);

    private static string Reason(BadHttpRequestException bad) => bad.StatusCode switch
    {
        StatusCodes.Status413PayloadTooLarge => "The request body is over the server's limit for this endpoint.",
        _ when bad.InnerException is System.Text.Json.JsonException json => $"The JSON body could not be read: {json.Message}",
        _ => bad.Message,
    };
}
