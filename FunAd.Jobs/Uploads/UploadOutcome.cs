namespace FunAd.Jobs.Uploads;

/// <summary>What happened to one uploaded file; the strings are part of the HTTP API's reply.</summary>
public static class UploadOutcome
{
    /// <summary>Stored: a new image of the project, or a mask attached to one.</summary>
    public const string Accepted = "accepted";

    /// <summary>Not stored because the same content is already in the project or earlier in the upload.</summary>
    public const string Duplicate = "duplicate";

    /// <summary>Not stored, for the reason given.</summary>
    public const string Refused = "refused";
}
