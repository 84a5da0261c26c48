using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FunAd.Jobs.Hosting;
using FunAd.Tests.Support;
using FunAd.Web.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace FunAd.Tests.Web.Account;

/// <summary>
/// A change to an account reaches the sessions it already has: a role change, a sign-out and an
/// admin's "end sessions" refuse old cookies at their next check, and no cookie outlives its
/// absolute lifetime. Time is a fake clock, moved past the check interval instead of slept through.
/// </summary>
public abstract class SessionTests(CatalogueProvider provider) : IAsyncLifetime
{
    public sealed class OnSqlite() : SessionTests(CatalogueProvider.Sqlite);
    public sealed class OnPostgres() : SessionTests(CatalogueProvider.Postgres), IRunsOnPostgres;

    private const string SecondAdmin = "second@funad.test";
    private const string SecondPassword = "second-pass-1";
    private readonly FakeTimeProvider clock = new(DateTimeOffset.UtcNow);
    private readonly FunAdWebFactory factory = new(provider);
    private HttpClient admin = null!;

    public async Task InitializeAsync()
    {
        factory.TestServices = services => services.AddSingleton<TimeProvider>(clock);
        admin = await factory.SignInAsync();
        (await admin.PostAsJsonAsync("/api/v1/users", new { email = SecondAdmin, password = SecondPassword, role = "Admin" })).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        admin.Dispose();
        await factory.DisposeAsync();
    }

    [CatalogueFact]
    public void The_default_check_interval_keeps_the_promise_of_a_minute()
    {
        var defaults = new SessionSettings();
        Assert.True(defaults.CheckInterval <= TimeSpan.FromMinutes(1));
        Assert.True(defaults.AbsoluteLifetime <= TimeSpan.FromHours(12));
        Assert.Throws<InvalidOperationException>(() => new SessionSettings { CheckInterval = TimeSpan.FromMinutes(30) }.Validate());
    }

    [CatalogueFact]
    public async Task A_demoted_admin_loses_admin_rights_through_the_old_cookie_within_a_minute()
    {
        using var second = await factory.SignInAsync(SecondAdmin, SecondPassword);
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/api/v1/api-keys")).StatusCode);

        var id = await UserIdAsync(SecondAdmin);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync($"/api/v1/users/{id}/role", new { role = "Viewer" })).StatusCode);
        clock.Advance(TimeSpan.FromMinutes(1));

        // The attack of the probe: create an admin key with the old cookie.
        var key = await second.PostAsJsonAsync("/api/v1/api-keys", new { name = "backdoor", role = "Admin" });
        Assert.Equal(HttpStatusCode.Unauthorized, key.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await second.GetAsync("/api/v1/projects")).StatusCode);

        // Signing in again gives the new role, and only it.
        using var again = await factory.SignInAsync(SecondAdmin, SecondPassword);
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/api/v1/projects")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await again.GetAsync("/api/v1/api-keys")).StatusCode);
    }

    [CatalogueFact]
    public async Task A_copied_cookie_stops_working_once_its_owner_signs_out()
    {
        using var owner = factory.Anonymous();
        var login = await FunAdWebFactory.PostLoginAsync(owner, SecondAdmin, SecondPassword);
        using var thief = WithCookie(login);
        Assert.Equal(HttpStatusCode.OK, (await thief.GetAsync("/api/v1/projects")).StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await owner.PostAsync("/account/logout", null)).StatusCode);
        clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(HttpStatusCode.Unauthorized, (await thief.GetAsync("/api/v1/projects")).StatusCode);
    }

    [CatalogueFact]
    public async Task An_admin_ends_every_session_of_a_user()
    {
        using var laptop = await factory.SignInAsync(SecondAdmin, SecondPassword);
        using var phone = await factory.SignInAsync(SecondAdmin, SecondPassword);

        var id = await UserIdAsync(SecondAdmin);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/v1/users/{id}/end-sessions", null)).StatusCode);
        clock.Advance(TimeSpan.FromSeconds(61));

        Assert.Equal(HttpStatusCode.Unauthorized, (await laptop.GetAsync("/api/v1/projects")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await phone.GetAsync("/api/v1/projects")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/projects")).StatusCode);
        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit?action=sessions ended");
        Assert.Equal(SecondAdmin, audit.EnumerateArray().Single().GetProperty("target").GetString());
    }

    [CatalogueFact]
    public async Task A_password_reset_by_an_admin_ends_the_users_sessions_and_a_weak_one_changes_nothing()
    {
        using var old = await factory.SignInAsync(SecondAdmin, SecondPassword);
        var id = await UserIdAsync(SecondAdmin);

        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutAsJsonAsync($"/api/v1/users/{id}/password", new { password = "short" })).StatusCode);
        using (var stillOld = await factory.SignInAsync(SecondAdmin, SecondPassword)) { }
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync($"/api/v1/users/{id}/password", new { password = "brand-new-pass-1" })).StatusCode);
        clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(HttpStatusCode.Unauthorized, (await old.GetAsync("/api/v1/projects")).StatusCode);
        using var fresh = await factory.SignInAsync(SecondAdmin, "brand-new-pass-1");
        Assert.Equal(HttpStatusCode.OK, (await fresh.GetAsync("/api/v1/projects")).StatusCode);
    }

    [CatalogueFact]
    public async Task A_session_in_constant_use_still_ends_at_its_absolute_lifetime()
    {
        using var busy = await factory.SignInAsync(SecondAdmin, SecondPassword);
        var lifetime = new SessionSettings().AbsoluteLifetime;
        var step = new SessionSettings().IdleTimeout * 0.75;
        var used = TimeSpan.Zero;
        // Every request more than half-way through the idle timeout renews the cookie: the sliding part works...
        while (used + step < lifetime)
        {
            clock.Advance(step);
            used += step;
            Assert.Equal(HttpStatusCode.OK, (await busy.GetAsync("/api/v1/projects")).StatusCode);
        }
        // ...but not past the lifetime counted from the sign-in.
        clock.Advance(lifetime - used + TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.Unauthorized, (await busy.GetAsync("/api/v1/projects")).StatusCode);
    }

    private async Task<string> UserIdAsync(string email)
    {
        var users = await admin.GetFromJsonAsync<JsonElement>("/api/v1/users");
        return users.EnumerateArray().Single(u => u.GetProperty("email").GetString() == email).GetProperty("id").GetString()!;
    }

    [CatalogueFact]
    public async Task The_sign_in_time_travels_in_the_principal_through_stamp_refreshes_so_live_pages_end_with_the_cookie()
    {
        using var owner = factory.Anonymous();
        var login = await FunAdWebFactory.PostLoginAsync(owner, SecondAdmin, SecondPassword);
        var signedIn = Principal(Cookie(login));
        var settings = factory.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SessionSettings>>().Value;
        Assert.True(SessionRevalidation.IsWithinLifetime(signedIn, settings, clock.GetUtcNow()));

        // Past the check interval the stamp check rebuilds the principal and renews the cookie: the time stays the sign-in's.
        clock.Advance(TimeSpan.FromMinutes(1));
        using var user = WithCookie(login);
        var renewed = await user.GetAsync("/api/v1/projects");
        Assert.Equal(HttpStatusCode.OK, renewed.StatusCode);
        var refreshed = Principal(Cookie(renewed));
        Assert.Equal(SessionCookieEvents.SignedInAt(signedIn), SessionCookieEvents.SignedInAt(refreshed));
        Assert.NotNull(SessionCookieEvents.SignedInAt(refreshed));

        // What a live page holds is judged like the cookie: past the absolute lifetime it is over, and so is a principal without the time.
        Assert.False(SessionRevalidation.IsWithinLifetime(refreshed, settings, clock.GetUtcNow() + settings.AbsoluteLifetime));
        Assert.False(SessionRevalidation.IsWithinLifetime(new System.Security.Claims.ClaimsPrincipal(), settings, clock.GetUtcNow()));
    }

    private static string Cookie(HttpResponseMessage response) =>
        response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("funad.auth=", StringComparison.Ordinal)).Split(';')[0]["funad.auth=".Length..];

    private System.Security.Claims.ClaimsPrincipal Principal(string cookie)
    {
        var options = factory.Services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>>()
            .Get(Microsoft.AspNetCore.Identity.IdentityConstants.ApplicationScheme);
        return options.TicketDataFormat.Unprotect(Uri.UnescapeDataString(cookie))?.Principal ?? throw new Xunit.Sdk.XunitException("the cookie could not be read");
    }

    /// <summary>A client that sends the sign-in cookie of <paramref name="login"/> by hand, as a copied cookie would be.</summary>
    private HttpClient WithCookie(HttpResponseMessage login)
    {
        var cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("funad.auth=", StringComparison.Ordinal)).Split(';')[0];
        var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Add("Cookie", cookie);
        return client;
    }
}

/// <summary>An open page (Blazor circuit) re-checks its user: a rotated stamp or a deleted account ends it.</summary>
public sealed class SessionRevalidationTests : IAsyncLifetime
{
    private readonly FunAdWebFactory factory = new();

    public Task InitializeAsync() => factory.SignInAsync();

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task A_live_page_keeps_its_user_until_the_stamp_changes()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var signIn = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.SignInManager<FunAd.Jobs.Catalogue.AppUser>>();
        var stampClaim = scope.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Identity.IdentityOptions>>().Value.ClaimsIdentity.SecurityStampClaimType;
        var user = (await signIn.UserManager.FindByEmailAsync(FunAdWebFactory.AdminEmail))!;
        var principal = await signIn.CreateUserPrincipalAsync(user);

        Assert.True(await SessionRevalidation.IsStillValidAsync(signIn.UserManager, principal, stampClaim));
        await scope.ServiceProvider.GetRequiredService<UserDirectory>().EndSessionsAsync(user.Id, "test");
        Assert.False(await SessionRevalidation.IsStillValidAsync(signIn.UserManager, principal, stampClaim));
        Assert.False(await SessionRevalidation.IsStillValidAsync(signIn.UserManager, new System.Security.Claims.ClaimsPrincipal(), stampClaim));
    }

    [Fact]
    public void Live_pages_use_the_revalidating_provider()
    {
        using var scope = factory.Services.CreateScope();
        Assert.IsType<SessionRevalidation>(scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider>());
    }
}
