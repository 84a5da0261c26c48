using FunAd.Jobs.Audit;
using FunAd.Jobs.Catalogue;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace FunAd.Web.Security;

/// <summary>
/// Form posts of the sign-in, sign-out and one-time set-up pages. They run outside the interactive
/// circuit because setting a cookie needs the HTTP response. Antiforgery is checked on each.
/// </summary>
public static class AccountEndpoints
{
    public static void MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/account/login", async ([FromForm] string email, [FromForm] string password, [FromForm] string? returnUrl,
                SignInManager<AppUser> signIn, SignInGuard guard, AuditLog audit, HttpContext context) =>
            {
                email = email?.Trim() ?? "";
                var address = context.Connection.RemoteIpAddress?.ToString();
                // Every failure costs one password hash and gets the same answer, known account or not,
                // locked or not: neither the time nor the words tell an attacker which addresses exist.
                var user = await signIn.UserManager.FindByEmailAsync(email);
                var locked = guard.IsLocked(email, address);
                var passwordOk = user is null || locked
                    ? SpendOneHash(signIn.UserManager, password)
                    : (await signIn.CheckPasswordSignInAsync(user, password ?? "", lockoutOnFailure: false)).Succeeded;
                if (passwordOk && user is not null && !locked && user.Disabled)
                {
                    // Said only after the right password, which cost the same one hash as any other answer:
                    // without the password a disabled account reads exactly like a wrong password or an
                    // unknown address, so the answer tells nothing to someone guessing. Not a failure the
                    // guard counts (the password was right), nor a success that clears its count.
                    await audit.RecordAsync(email, "sign-in refused", null, $"account disabled, from {address}");
                    return Results.Redirect($"/login?error=disabled&returnUrl={Uri.EscapeDataString(SafeReturn(returnUrl))}");
                }
                if (passwordOk && user is not null && !locked)
                {
                    guard.RecordSuccess(email, address);
                    await signIn.SignInAsync(user, isPersistent: true);
                    await audit.RecordAsync(email, "sign-in", null, address);
                    return Results.LocalRedirect(SafeReturn(returnUrl));
                }
                guard.RecordFailure(email, address);
                await audit.RecordAsync(email, "sign-in failed", null, $"{(locked ? "locked for this address" : "wrong e-mail or password")} from {address}");
                return Results.Redirect($"/login?error=invalid&returnUrl={Uri.EscapeDataString(SafeReturn(returnUrl))}");
            })
            .AllowAnonymous()
            .RequireRateLimiting(SecuritySetup.LoginRateLimit)
            .LimitAnonymousForm()
            .ExcludeFromDescription();

        app.MapPost("/account/logout", async (SignInManager<AppUser> signIn, UserDirectory users, HttpContext context) =>
            {
                // Signing out ends every session of the user, so a copied cookie dies with it.
                if (signIn.UserManager.GetUserId(context.User) is { } id) await users.EndSessionsAsync(id, context.User.Identity?.Name, "sign-out");
                await signIn.SignOutAsync();
                return Results.Redirect("/login");
            })
            .ExcludeFromDescription();

        app.MapPost("/setup", async ([FromForm] string email, [FromForm] string password, UserDirectory users, SignInManager<AppUser> signIn, AuditLog audit) =>
            {
                try
                {
                    var created = await users.CreateFirstAdminAsync(email, password);
                    if (created is null) return Results.Redirect("/login");
                    await audit.RecordAsync(created.Email, "first admin created", created.Email, "set-up page");
                    var user = await signIn.UserManager.FindByIdAsync(created.Id);
                    await signIn.SignInAsync(user!, isPersistent: true);
                    return Results.Redirect("/");
                }
                catch (ArgumentException e)
                {
                    return Results.Redirect($"/setup?error={Uri.EscapeDataString(e.Message)}");
                }
            })
            .AllowAnonymous()
            .RequireRateLimiting(SecuritySetup.LoginRateLimit)
            .LimitAnonymousForm()
            .ExcludeFromDescription();
    }

    // Anonymous forms: an e-mail, a password and a return path never need more.
    private const int FieldLimit = 4096;
    private const long FormLimit = 16 * 1024;

    private static RouteHandlerBuilder LimitAnonymousForm(this RouteHandlerBuilder endpoint) =>
        endpoint.WithMetadata(new RequestSizeLimitAttribute(FormLimit)).WithFormOptions(valueLengthLimit: FieldLimit);

    // A hash of a random password, computed once: unknown accounts are checked against it so that they
    // cost the same time as known ones.
    private static readonly Lazy<string> DecoyHash = new(() => new PasswordHasher<AppUser>().HashPassword(new AppUser(), Guid.NewGuid().ToString()));

    private static bool SpendOneHash(UserManager<AppUser> users, string? password)
    {
        users.PasswordHasher.VerifyHashedPassword(new AppUser(), DecoyHash.Value, password ?? "");
        return false;
    }

    /// <summary>
    /// Only paths of this site: an open redirect after sign-in would let a link send users elsewhere.
    /// Control characters and spaces are refused too: a tab or line break after the slash makes browsers
    /// read "/\tevil.example" as another site, and ASP.NET Core refuses to redirect there (a 500 before).
    /// </summary>
    public static string SafeReturn(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal) && !returnUrl.StartsWith("/\\", StringComparison.Ordinal)
            && !returnUrl.Any(c => char.IsControl(c) || char.IsWhiteSpace(c))
            ? returnUrl
            : "/";
}
