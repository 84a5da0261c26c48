using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace FunAd.Web.Security;

/// <summary>
/// The sign-in cookie's lifetime rules: the time of sign-in travels in the cookie (kept across
/// sliding renewals and stamp refreshes), also as a claim of the principal so that a live page, which
/// keeps the principal it started with, ends at the same time; a cookie older than the absolute lifetime is refused, and
/// Identity's security-stamp check runs on every cookie (it re-reads roles, and refuses the cookie
/// once the stamp has changed).
/// </summary>
public static class SessionCookieEvents
{
    private const string SignedInAtKey = "funad.signed-in-at";

    /// <summary>The claim that carries the sign-in time into the principal (and so into live pages).</summary>
    public const string SignedInAtClaim = "funad:signed-in-at";

    /// <summary>Stamps the first sign-in time; a refresh of an existing cookie keeps the original one (and puts it back on the refreshed principal).</summary>
    public static Task OnSigningIn(CookieSigningInContext context)
    {
        if (!context.Properties.Items.TryGetValue(SignedInAtKey, out var signedInAt) || signedInAt is null)
            context.Properties.Items[SignedInAtKey] = signedInAt = context.Options.TimeProvider!.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
        if (context.Principal?.Identity is ClaimsIdentity identity)
        {
            foreach (var old in identity.FindAll(SignedInAtClaim).ToList()) identity.RemoveClaim(old);
            identity.AddClaim(new Claim(SignedInAtClaim, signedInAt));
        }
        return Task.CompletedTask;
    }

    /// <summary>Carries the sign-in time claim from the old principal to the one the stamp check rebuilt.</summary>
    public static Task KeepSignInTime(SecurityStampRefreshingPrincipalContext context)
    {
        if (context.CurrentPrincipal?.FindFirst(SignedInAtClaim) is { } claim && context.NewPrincipal?.Identity is ClaimsIdentity identity
            && identity.FindFirst(SignedInAtClaim) is null)
            identity.AddClaim(new Claim(SignedInAtClaim, claim.Value));
        return Task.CompletedTask;
    }

    public static async Task OnValidatePrincipal(CookieValidatePrincipalContext context)
    {
        var settings = context.HttpContext.RequestServices.GetRequiredService<IOptions<SessionSettings>>().Value;
        var now = context.Options.TimeProvider!.GetUtcNow();
        if (!settings.WithinLifetime(SignedInAt(context.Properties), now))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
            return;
        }
        await SecurityStampValidator.ValidatePrincipalAsync(context);
    }

    private static DateTimeOffset? SignedInAt(AuthenticationProperties properties) =>
        properties.Items.TryGetValue(SignedInAtKey, out var text) ? Parse(text) : null;

    /// <summary>The sign-in time a principal carries, or null when it carries none (an old cookie's, or not a sign-in's).</summary>
    public static DateTimeOffset? SignedInAt(ClaimsPrincipal principal) => Parse(principal.FindFirst(SignedInAtClaim)?.Value);

    private static DateTimeOffset? Parse(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at : null;
}
