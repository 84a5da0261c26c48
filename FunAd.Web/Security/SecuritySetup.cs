using System.Threading.RateLimiting;
using FunAd.Jobs.Catalogue;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FunAd.Web.Security;

/// <summary>Sign-in (Identity cookies), API keys, roles and policies, and the rate limit on sign-in attempts.</summary>
public static class SecuritySetup
{
    /// <summary>The scheme that picks the API key handler when the header is there, the Identity cookie otherwise.</summary>
    public const string Scheme = "FunAd";
    public const string LoginRateLimit = "login";

    public static IServiceCollection AddFunAdSecurity(this IServiceCollection services)
    {
        // Bound when first used, not here: test hosts add their settings after this runs.
        services.AddOptions<SessionSettings>().BindConfiguration(SessionSettings.Section)
            .Validate(s => { s.Validate(); return true; }).ValidateOnStart();
        services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "cookie or API key", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.ContainsKey(ApiKeyService.Header) ? ApiKeyAuthenticationHandler.SchemeName : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddIdentityCookies();
        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/login";
            o.AccessDeniedPath = "/denied";
            o.Cookie.Name = "funad.auth";
            o.Cookie.HttpOnly = true;
            // Secure whenever the request came over TLS (behind a TLS proxy, forward the scheme: see README).
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            // Strict: no other site can make the browser send the cookie, which is what guards the API's cookie-authenticated posts.
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.SlidingExpiration = true;
            // Identity's events already hold the security-stamp check: add to them, never replace them
            // (replacing them once let a demoted admin keep admin rights through an old cookie).
            o.Events.OnRedirectToLogin = context => Reply(context, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = context => Reply(context, StatusCodes.Status403Forbidden);
            o.Events.OnSigningIn = SessionCookieEvents.OnSigningIn;
            o.Events.OnValidatePrincipal = SessionCookieEvents.OnValidatePrincipal;
        });
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<Microsoft.Extensions.Options.IOptions<SessionSettings>>((o, sessions) => o.ExpireTimeSpan = sessions.Value.IdleTimeout);
        services.AddOptions<SecurityStampValidatorOptions>()
            .Configure<Microsoft.Extensions.Options.IOptions<SessionSettings>>((o, sessions) =>
            {
                o.ValidationInterval = sessions.Value.CheckInterval;
                // The stamp check rebuilds the principal from the user; the sign-in time must come along.
                o.OnRefreshingPrincipal = SessionCookieEvents.KeepSignInTime;
            });
        services.AddScoped<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider, SessionRevalidation>();
        services.AddIdentityCore<AppUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 8;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequireUppercase = false;
                // Identity's lockout is per account, which let anyone lock out any account (the only
                // admin too) by failing on purpose; SignInGuard locks an account per client address.
                o.Lockout.AllowedForNewUsers = false;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<CatalogueDbContext>()
            .AddSignInManager();
        services.AddScoped<UserDirectory>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SignInGuard>();
        services.AddSingleton<ApiKeyService>();

        services.AddAuthorizationBuilder()
            // Every endpoint needs a signed-in user or a key unless it says otherwise (sign-in, set-up, health).
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.Editor, p => p.RequireRole(Roles.Admin, Roles.Editor))
            .AddPolicy(Policies.Admin, p => p.RequireRole(Roles.Admin));
        services.AddCascadingAuthenticationState();

        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // A body, so the status-code pages leave the reply alone and the person reads why.
            o.OnRejected = (context, token) => new ValueTask(context.HttpContext.Response.WriteAsync("Too many sign-in attempts from this address: wait a minute and try again.", token));
            o.AddPolicy(LoginRateLimit, context =>
            {
                var perMinute = context.RequestServices.GetRequiredService<IConfiguration>().GetValue("FunAd:LoginAttemptsPerMinute", 10);
                return RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
            });
        });
        return services;
    }

    private static Task Reply(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (IsApi(context.Request))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    public static bool IsApi(HttpRequest request) =>
        request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/openapi") || request.Path.StartsWithSegments("/files");
}
