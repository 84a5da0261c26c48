using FunAd.Jobs.Storage;
using FunAd.Jobs.Uploads;
using FunAd.Web.Security;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;

namespace FunAd.Web.Api;

/// <summary>
/// POST /api/v1/projects/{id}/uploads: multipart image files and zip archives. Each file part may be
/// preceded by a "path" field with its relative path (folder uploads), else its file name is used.
/// </summary>
public static class UploadsEndpoints
{
    /// <summary>Most bytes one upload request may carry (the browser sends batches; a zip goes alone).</summary>
    public const long MaxRequestBytes = 4L * 1024 * 1024 * 1024;

    public static void MapUploadsEndpoints(this RouteGroupBuilder api) =>
        api.MapPost("/projects/{id:int}/uploads", async (int id, HttpRequest request, ProjectUploads uploads, CancellationToken token) =>
            {
                if (!request.HasFormContentType)
                    throw new ArgumentException("Send multipart/form-data with one or more 'files' parts (images or .zip archives).");
                // The form is buffered to temporary files by ASP.NET Core, never to memory beyond a small threshold.
                request.HttpContext.Features.Set<IFormFeature>(new FormFeature(request, new FormOptions
                {
                    MultipartBodyLengthLimit = MaxRequestBytes,
                    ValueCountLimit = 100_000,
                }));
                var form = await FormReading.ReadAsync(request, token);
                var paths = form["path"];
                var files = form.Files.Select((file, i) => new UploadedFile(
                    paths.Count == form.Files.Count && !string.IsNullOrWhiteSpace(paths[i]) ? paths[i]! : file.FileName,
                    file.OpenReadStream)).ToList();
                if (files.Count == 0) throw new ArgumentException("The upload holds no files.");
                var report = await uploads.ImportAsync(id, files, request.HttpContext.User.Identity?.Name, token: token);
                var reply = new UploadReply(report.Files, report.Accepted, report.Duplicates, report.Refused, report.MasksAttached, report.Error);
                // Not saved: a problem, 507 when the data root is full or read-only (the reason says so), else 503
                // (try again); it still carries every file's verdict, so the panel shows what was refused and why.
                return !report.Failed ? TypedResults.Ok(reply)
                    : ApiProblems.Problem(StorageFailure.IsStorageReason(report.Error) ? StatusCodes.Status507InsufficientStorage : StatusCodes.Status503ServiceUnavailable,
                        report.Error ?? "The upload was not saved.", new Dictionary<string, object?>
                        {
                            ["files"] = reply.Files, ["accepted"] = reply.Accepted, ["duplicates"] = reply.Duplicates,
                            ["refused"] = reply.Refused, ["masksAttached"] = reply.MasksAttached,
                        });
            })
            .RequireAuthorization(Policies.Editor).WithTags("Uploads")
            .WithMetadata(new RequestSizeLimitAttribute(MaxRequestBytes))
            .WithSummary("Upload images or zip archives (multipart 'files' parts); the reply gives every file's verdict: accepted, duplicate or refused with the reason.");
}
