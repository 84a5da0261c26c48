using Microsoft.AspNetCore.Identity;

namespace FunAd.Jobs.Catalogue;

/// <summary>A person who signs in; roles (<see cref="Roles"/>) say what they may do.</summary>
public sealed class AppUser : IdentityUser
{
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
}
