using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Projects;

namespace FunAd.Web.Api;

// Request and reply bodies of the HTTP API (JSON, camelCase). Part of the contract: extend, never change.

public sealed record CreateProjectRequest(string Name, string? Mode, string? Backbone);

public sealed record UpdateProjectRequest(string? Name, bool? Archived);

public sealed record ImageReply(long Id, string Name, string ContentHash, long SizeBytes, int Width, int Height, string Label, string? DefectType,
    bool HasMask, string ThumbnailUrl, string Url, bool LeftOutOfTraining = false)
{
    public static ImageReply From(ImageAsset i) => new(i.Id, i.OriginalName, i.ContentHash, i.SizeBytes, i.Width, i.Height,
        i.Label.ToString().ToLowerInvariant(), i.DefectType, i.MaskPath is not null, FileUrls.Thumbnail(i.Id), FileUrls.Image(i.Id), i.LeftOutOfTraining);
}

/// <summary>A change to one image (PATCH): absent fields stay as they are.</summary>
public sealed record UpdateImageRequest(string? Label, string? DefectType, bool? LeftOutOfTraining);

public sealed record ImageRunScoreReply(int RunId, string Method, string Status, double Score, string Band, bool HasHeatmap, bool LeftOutOfBank);

public sealed record ImageDetailReply(ImageReply Image, string? Verdict, IReadOnlyList<ImageRunScoreReply> Runs)
{
    public static ImageDetailReply From(ImageDetail d) => new(ImageReply.From(d.Image), d.Verdict?.ToString().ToLowerInvariant(),
        d.Runs.Select(r => new ImageRunScoreReply(r.RunId, r.Method, r.Status.ToString().ToLowerInvariant(), r.Score, r.Band.ToString().ToLowerInvariant(),
            r.HasHeatmap, r.LeftOutOfBank)).ToList());
}

public sealed record ImagePageReply(int Total, int Skip, IReadOnlyList<ImageReply> Items);

public sealed record StartRunRequest(string? Method, string? Profile, int? Seed, Dictionary<string, string>? Parameters, double? CoresetRatio,
    bool? ExcludeConfirmedDefects = null, bool? HoldOutLabelled = null);

public sealed record RunReply(int Id, int ProjectId, string Method, string Profile, int Seed, string Status, string Phase, double Progress, string Detail,
    int Epoch, int Epochs, double? Loss, double? AnomalousShare, double? EtaSeconds, int ImageCount, string? Error, string? SelectionRule,
    int ResumedFromEpoch, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, string? ModelUrl, string? CreatedBy)
{
    // Flat on the wire as before: the run's Progress and Outcome parts are a storage shape, not part of the contract.
    public static RunReply From(TrainingRun r) => new(r.Id, r.ProjectId, r.Method, r.Profile, r.Seed, r.Status.ToString().ToLowerInvariant(),
        r.Progress.Phase, r.Progress.Fraction, r.Progress.Detail, r.Progress.Epoch, r.Progress.Epochs, r.Progress.Loss, r.Progress.AnomalousShare,
        r.Progress.EtaSeconds, r.ImageCount, r.Error, r.Outcome.SelectionRule, r.Outcome.ResumedFromEpoch,
        r.CreatedAt, r.StartedAt, r.FinishedAt, r.Outcome.OnnxPath is null ? null : FileUrls.Model(r.Id), r.CreatedBy);
}

public sealed record EpochReply(int Epoch, double Loss, double BceLoss, double SmoothnessLoss, double AnomalousShare);

public sealed record LogReply(DateTimeOffset At, string Message);

public sealed record ParameterReply(string Name, string Type, string Value, string Description);

public sealed record CreateApiKeyRequest(string Name, string Role);

public sealed record CreatedApiKeyReply(int Id, string Name, string Role, string Key);

public sealed record CreateUserRequest(string Email, string Password, string Role);

public sealed record SetRoleRequest(string Role);

public sealed record SetPasswordRequest(string Password);

/// <summary>The reply to an upload: one verdict per file and archive entry, and the counts (Error: why nothing was saved).</summary>
public sealed record UploadReply(IReadOnlyList<FunAd.Jobs.Uploads.FileVerdict> Files, int Accepted, int Duplicates, int Refused, int MasksAttached, string? Error);

/// <summary>A process that takes training jobs, as GET /api/v1/workers lists it.</summary>
public sealed record WorkerReply(string Name, string Role, string State, string DeviceKind, string Device, long MemoryBytes,
    string[] Queues, int JobSlots, DateTimeOffset StartedAt, DateTimeOffset SeenAt, int[] RunningRuns);
