using System.Security.Claims;
using FunAd.Jobs.Catalogue;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace FunAd.Web.Security;

/// <summary>
/// A live page (Blazor circuit) keeps the user it started with; this re-reads the user's security
/// stamp every <see cref="SessionSettings.CheckInterval"/> and signs the page out when the account
/// is gone, disabled or its stamp changed (role change, password change, sign-out, "end sessions"), or when
/// the sign-in is older than <see cref="SessionSettings.AbsoluteLifetime"/>, as its cookie would be.
/// </summary>
public sealed class SessionRevalidation(ILoggerFactory loggers, IServiceScopeFactory scopes, IOptions<IdentityOptions> identity, IOptions<SessionSettings> settings,
    TimeProvider time)
    : RevalidatingServerAuthenticationStateProvider(loggers)
{
    // RevalidatingServerAuthenticationStateProvider refuses a zero interval; tests use the smallest it allows.
    protected override TimeSpan RevalidationInterval => settings.Value.CheckInterval > TimeSpan.FromSeconds(1) ? settings.Value.CheckInterval : TimeSpan.FromSeconds(1);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken token)
    {
        if (!IsWithinLifetime(state.User, settings.Value, time.GetUtcNow())) return false;
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        return await IsStillValidAsync(users, state.User, identity.Value.ClaimsIdentity.SecurityStampClaimType);
    }

    /// <summary>Whether the principal's sign-in is younger than the absolute lifetime (a principal without its sign-in time is not).</summary>
    public static bool IsWithinLifetime(ClaimsPrincipal principal, SessionSettings settings, DateTimeOffset now) =>
        settings.WithinLifetime(SessionCookieEvents.SignedInAt(principal), now);

    /// <summary>Whether the principal's user still exists, is not disabled, and has the security stamp the principal was issued with.</summary>
    public static async Task<bool> IsStillValidAsync(UserManager<AppUser> users, ClaimsPrincipal principal, string stampClaimType)
    {
        // API-key principals never reach a circuit; anything else without a user id is not ours to keep.
        if (await users.GetUserAsync(principal) is not { } user) return false;
        // Disabling rotates the stamp too; the flag is checked as well, at no cost, since the user is read anyway.
        if (user.Disabled) return false;
        if (!users.SupportsUserSecurityStamp) return true;
        var stamp = principal.FindFirstValue(stampClaimType);
        return stamp == await users.GetSecurityStampAsync(user);
    }
}
