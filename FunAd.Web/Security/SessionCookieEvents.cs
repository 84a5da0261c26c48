using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace FunAd.Web.Security;

/// <summary>
/// The sign-in cookie's lifetime rules: the time of sign-in travels in the cookie (kept across
/// sliding renewals and stamp refreshes), a cookie older than the absolute lifetime is refused, and
/// Identity's security-stamp check runs on every cookie (it re-reads roles, and refuses the cookie
/// once the stamp has changed).
/// </summary>
public static class SessionCookieEvents
{
    private const string SignedInAtKey = "funad.signed-in-at";

    /// <summary>Stamps the first sign-in time; a refresh of an existing cookie keeps the original one.</summary>
    public static Task OnSigningIn(CookieSigningInContext context)
    {
        if (!context.Properties.Items.ContainsKey(SignedInAtKey))
            context.Properties.Items[SignedInAtKey] = context.Options.TimeProvider!.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
        return Task.CompletedTask;
    }

    public static async Task OnValidatePrincipal(CookieValidatePrincipalContext context)
    {
        var settings = context.HttpContext.RequestServices.GetRequiredService<IOptions<SessionSettings>>().Value;
        var now = context.Options.TimeProvider!.GetUtcNow();
        if (SignedInAt(context.Properties) is not { } signedInAt || now - signedInAt > settings.AbsoluteLifetime)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
            return;
        }
        await SecurityStampValidator.ValidatePrincipalAsync(context);
    }

    private static DateTimeOffset? SignedInAt(AuthenticationProperties properties) =>
        properties.Items.TryGetValue(SignedInAtKey, out var text)
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at)
            ? at
            : null;
}
