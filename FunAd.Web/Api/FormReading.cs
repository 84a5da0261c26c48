namespace FunAd.Web.Api;

/// <summary>
/// Reads a multipart form; a body the reader cannot parse (no boundary, cut short, a section header over
/// its limit) is the client's error, so it becomes a 400 with the reader's reason instead of a 500.
/// </summary>
public static class FormReading
{
    public static async Task<IFormCollection> ReadAsync(HttpRequest request, CancellationToken token)
    {
        try
        {
            return await request.ReadFormAsync(token);
        }
        catch (Exception e) when (e is InvalidDataException or IOException && !token.IsCancellationRequested)
        {
            throw new BadHttpRequestException($"The multipart body could not be read: {e.Message}", StatusCodes.Status400BadRequest, e);
        }
    }
}
