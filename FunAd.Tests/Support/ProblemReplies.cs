using System.Net;
using System.Text.Json;

namespace FunAd.Tests.Support;

/// <summary>The API's one error shape: a problem (RFC 9457) whose status matches the response's and whose detail says why.</summary>
public static class ProblemReplies
{
    /// <summary>Asserts the response is a problem with this status and returns its detail.</summary>
    public static async Task<string> DetailAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{response.RequestMessage!.Method} {response.RequestMessage.RequestUri}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(text);
        Assert.Equal((int)status, body.RootElement.GetProperty("status").GetInt32());
        return body.RootElement.GetProperty("detail").GetString()!;
    }
}
