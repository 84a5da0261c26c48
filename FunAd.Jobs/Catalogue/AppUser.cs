using Microsoft.AspNetCore.Identity;

namespace FunAd.Jobs.Catalogue;

/// <summary>A person who signs in; roles (<see cref="Roles"/>) say what they may do.</summary>
public sealed class AppUser : IdentityUser
{
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;

    /// <summary>
    /// Set by an admin: the user cannot sign in, their sessions end and the API keys they created stop
    /// authenticating until an admin enables them again. Not Identity's lockout (LockoutEnd), which is
    /// off in this app (sign-in failures lock an account per client address instead) and would refuse
    /// a locked account before its password is checked, answering faster than a wrong password does.
    /// </summary>
    public bool Disabled { get; set; }
}
