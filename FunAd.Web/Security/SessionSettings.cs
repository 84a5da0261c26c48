namespace FunAd.Web.Security;

/// <summary>
/// How long a sign-in lasts and how soon a change to the account reaches it (<c>FunAd:Sessions</c>).
/// A role change, a password change, a sign-out or an admin's "end sessions" rotates the user's
/// security stamp; every cookie and every live page checks the stamp at least once per
/// <see cref="CheckInterval"/>, so such a change ends the user's other sessions within that time.
/// </summary>
public sealed class SessionSettings
{
    public const string Section = "FunAd:Sessions";

    /// <summary>How often a session's security stamp and roles are read again (the promise is "within a minute").</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A session unused for this long ends (the cookie slides while it is used).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromHours(2);

    /// <summary>A session ends this long after its sign-in, however much it is used.</summary>
    public TimeSpan AbsoluteLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Whether a session signed in at <paramref name="signedInAt"/> may still be used at <paramref name="now"/> (unknown: no).</summary>
    public bool WithinLifetime(DateTimeOffset? signedInAt, DateTimeOffset now) => signedInAt is { } at && now - at <= AbsoluteLifetime;

    public void Validate()
    {
        if (CheckInterval < TimeSpan.Zero || CheckInterval > TimeSpan.FromMinutes(1))
            throw new InvalidOperationException($"{Section}:CheckInterval must be between 0 and 00:01:00 (got {CheckInterval}).");
        if (IdleTimeout <= TimeSpan.Zero || IdleTimeout > AbsoluteLifetime)
            throw new InvalidOperationException($"{Section}:IdleTimeout must be positive and at most AbsoluteLifetime (got {IdleTimeout}).");
        if (AbsoluteLifetime > TimeSpan.FromDays(30))
            throw new InvalidOperationException($"{Section}:AbsoluteLifetime must be at most 30 days (got {AbsoluteLifetime}).");
    }
}
