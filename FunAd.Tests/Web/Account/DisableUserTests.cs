using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FunAd.Jobs.Audit;
using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Hosting;
using FunAd.Tests.Support;
using FunAd.Web.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FunAd.Tests.Web.Account;

/// <summary>
/// An admin disables a user and enables them again: a disabled user cannot sign in (and is told so only
/// after the right password), their sessions end within a minute, the API keys they created stop
/// authenticating; nobody disables their own account or the last enabled admin; each change is audited.
/// </summary>
public abstract class DisableUserTests(CatalogueProvider provider) : IAsyncLifetime
{
    public sealed class OnSqlite() : DisableUserTests(CatalogueProvider.Sqlite);
    public sealed class OnPostgres() : DisableUserTests(CatalogueProvider.Postgres), IRunsOnPostgres;

    private const string Worker = "worker@funad.test";
    private const string WorkerPassword = "worker-pass-1";
    private const string SecondAdmin = "second@funad.test";
    private const string SecondPassword = "second-pass-1";
    private readonly FakeTimeProvider clock = new(DateTimeOffset.UtcNow);
    private readonly CountingPasswordHasher hasher = new();
    private readonly FunAdWebFactory factory = new(provider);
    private HttpClient admin = null!;

    public async Task InitializeAsync()
    {
        factory.Settings["FunAd:LoginAttemptsPerMinute"] = "100";
        factory.TestServices = services =>
        {
            services.AddSingleton<TimeProvider>(clock);
            services.AddSingleton<IPasswordHasher<AppUser>>(hasher);
        };
        admin = await factory.SignInAsync();
        (await admin.PostAsJsonAsync("/api/v1/users", new { email = Worker, password = WorkerPassword, role = "Editor" })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/v1/users", new { email = SecondAdmin, password = SecondPassword, role = "Admin" })).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        admin.Dispose();
        await factory.DisposeAsync();
    }

    [CatalogueFact]
    public async Task A_disabled_user_is_told_so_only_after_the_right_password_and_signs_in_again_once_enabled()
    {
        var id = await UserIdAsync(Worker);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/v1/users/{id}/disable", null)).StatusCode);
        using var client = factory.Anonymous();

        var before = hasher.Verifications;
        var right = await FunAdWebFactory.PostLoginAsync(client, Worker, WorkerPassword);
        Assert.Equal(1, hasher.Verifications - before);
        Assert.Contains("error=disabled", right.Headers.Location!.OriginalString);
        Assert.DoesNotContain(right.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith("funad.auth=", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/projects")).StatusCode);
        Assert.Contains("This account is disabled", await client.GetStringAsync(right.Headers.Location));

        // Without the password a disabled account reads like any wrong password or unknown address, after the same work.
        before = hasher.Verifications;
        var wrong = await FunAdWebFactory.PostLoginAsync(client, Worker, "nope-nope-1");
        var unknown = await FunAdWebFactory.PostLoginAsync(client, "nobody@funad.test", "nope-nope-1");
        Assert.Equal(2, hasher.Verifications - before);
        Assert.Contains("error=invalid", wrong.Headers.Location!.OriginalString);
        Assert.Equal(unknown.Headers.Location, wrong.Headers.Location);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/v1/users/{id}/enable", null)).StatusCode);
        using var back = await factory.SignInAsync(Worker, WorkerPassword);
        Assert.Equal(HttpStatusCode.OK, (await back.GetAsync("/api/v1/projects")).StatusCode);
        var refused = await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit?action=sign-in refused");
        Assert.Equal(Worker, refused.EnumerateArray().Single().GetProperty("actor").GetString());
    }

    [CatalogueFact]
    public async Task Disabling_ends_every_session_of_the_user_within_a_minute_cookies_and_live_pages_alike()
    {
        using var laptop = await factory.SignInAsync(Worker, WorkerPassword);
        Assert.Equal(HttpStatusCode.OK, (await laptop.GetAsync("/api/v1/projects")).StatusCode);
        var livePage = await PrincipalAsync(Worker);
        Assert.True(await IsStillValidAsync(livePage));

        var id = await UserIdAsync(Worker);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/v1/users/{id}/disable", null)).StatusCode);
        clock.Advance(TimeSpan.FromSeconds(61));

        Assert.Equal(HttpStatusCode.Unauthorized, (await laptop.GetAsync("/api/v1/projects")).StatusCode);
        Assert.False(await IsStillValidAsync(livePage));
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/projects")).StatusCode);
    }

    [CatalogueFact]
    public async Task A_live_page_ends_on_the_disabled_flag_itself_not_only_on_the_rotated_stamp()
    {
        var livePage = await PrincipalAsync(Worker);
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = (await users.FindByEmailAsync(Worker))!;
            var stamp = user.SecurityStamp;
            user.Disabled = true;
            Assert.True((await users.UpdateAsync(user)).Succeeded);
            Assert.Equal(stamp, (await users.FindByEmailAsync(Worker))!.SecurityStamp);
        }

        Assert.False(await IsStillValidAsync(livePage));
    }

    [CatalogueFact]
    public async Task The_api_keys_a_disabled_user_created_stop_authenticating_until_they_are_enabled()
    {
        using var second = await factory.SignInAsync(SecondAdmin, SecondPassword);
        using var theirs = KeyClient(await CreateKeyAsync(second, "their script"));
        using var ours = KeyClient(await CreateKeyAsync(admin, "our script"));
        Assert.Equal(HttpStatusCode.OK, (await theirs.GetAsync("/api/v1/projects")).StatusCode);

        var id = await UserIdAsync(SecondAdmin);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/v1/users/{id}/disable", null)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await theirs.GetAsync("/api/v1/projects")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ours.GetAsync("/api/v1/projects")).StatusCode);
        Assert.True(await IsDisabledAsync(SecondAdmin));
        Assert.False(await IsDisabledAsync(Worker));
        var audit = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit?action=user disabled")).EnumerateArray().Single();
        Assert.Equal(SecondAdmin, audit.GetProperty("target").GetString());
        Assert.Equal("1 API key(s) they created stop authenticating", audit.GetProperty("detail").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/v1/users/{id}/enable", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await theirs.GetAsync("/api/v1/projects")).StatusCode);
        Assert.False(await IsDisabledAsync(SecondAdmin));
    }

    [CatalogueFact]
    public async Task Nobody_disables_their_own_account_nor_the_last_enabled_admin_and_each_change_is_audited()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var directory = scope.ServiceProvider.GetRequiredService<UserDirectory>();
        var listed = await directory.ListAsync();
        var adminId = listed.Single(u => u.Email == FunAdWebFactory.AdminEmail).Id;
        var secondId = listed.Single(u => u.Email == SecondAdmin).Id;

        var self = await Assert.ThrowsAsync<InvalidOperationException>(() => directory.SetDisabledAsync(adminId, true, FunAdWebFactory.AdminEmail));
        Assert.Contains("your own account", self.Message);
        await directory.SetDisabledAsync(secondId, true, FunAdWebFactory.AdminEmail);
        // The admin is now the last enabled admin: whoever asks (an API key here), they stay enabled and admin.
        var last = await Assert.ThrowsAsync<InvalidOperationException>(() => directory.SetDisabledAsync(adminId, true, "api key 'ops'"));
        Assert.Contains("last enabled admin", last.Message);
        await Assert.ThrowsAsync<InvalidOperationException>(() => directory.SetRoleAsync(adminId, Roles.Editor, "api key 'ops'"));
        await directory.SetDisabledAsync(secondId, false, FunAdWebFactory.AdminEmail);
        // Enabling an enabled user changes nothing and records nothing.
        await directory.SetDisabledAsync(secondId, false, FunAdWebFactory.AdminEmail);

        Assert.DoesNotContain(await directory.ListAsync(), u => u.Disabled);
        var entries = (await scope.ServiceProvider.GetRequiredService<AuditLog>().ListAsync(action: "user "))
            .Where(e => e.Action is "user disabled" or "user enabled").ToList();
        Assert.Equal(["user enabled", "user disabled"], entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal((FunAdWebFactory.AdminEmail, SecondAdmin), (e.Actor, e.Target)));
    }

    [CatalogueFact]
    public async Task The_api_refuses_with_problems_ones_own_account_the_last_enabled_admin_and_an_unknown_user()
    {
        var adminId = await UserIdAsync(FunAdWebFactory.AdminEmail);
        Assert.Contains("your own account", await ProblemReplies.DetailAsync(await admin.PostAsync($"/api/v1/users/{adminId}/disable", null), HttpStatusCode.Conflict));

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/v1/users/{await UserIdAsync(SecondAdmin)}/disable", null)).StatusCode);
        using var script = KeyClient(await CreateKeyAsync(admin, "ops"));
        Assert.Contains("last enabled admin", await ProblemReplies.DetailAsync(await script.PostAsync($"/api/v1/users/{adminId}/disable", null), HttpStatusCode.Conflict));
        await ProblemReplies.DetailAsync(await admin.PostAsync("/api/v1/users/no-such-user/disable", null), HttpStatusCode.NotFound);
        Assert.False(await IsDisabledAsync(FunAdWebFactory.AdminEmail));
    }

    private async Task<string> UserIdAsync(string email) => (await UserAsync(email)).GetProperty("id").GetString()!;

    private async Task<bool> IsDisabledAsync(string email) => (await UserAsync(email)).GetProperty("disabled").GetBoolean();

    private async Task<JsonElement> UserAsync(string email)
    {
        var users = await admin.GetFromJsonAsync<JsonElement>("/api/v1/users");
        return users.EnumerateArray().Single(u => u.GetProperty("email").GetString() == email);
    }

    private static async Task<string> CreateKeyAsync(HttpClient client, string name)
    {
        var reply = await client.PostAsJsonAsync("/api/v1/api-keys", new { name, role = "Admin" });
        reply.EnsureSuccessStatusCode();
        return (await reply.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
    }

    private HttpClient KeyClient(string key)
    {
        var client = factory.Anonymous();
        client.DefaultRequestHeaders.Add(ApiKeyService.Header, key);
        return client;
    }

    /// <summary>The principal a live page of the user holds, as sign-in made it.</summary>
    private async Task<System.Security.Claims.ClaimsPrincipal> PrincipalAsync(string email)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<AppUser>>();
        return await signIn.CreateUserPrincipalAsync((await signIn.UserManager.FindByEmailAsync(email))!);
    }

    /// <summary>What the live page's check every 30 s decides, in a fresh scope as it runs.</summary>
    private async Task<bool> IsStillValidAsync(System.Security.Claims.ClaimsPrincipal principal)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var stampClaim = scope.ServiceProvider.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity.SecurityStampClaimType;
        return await SessionRevalidation.IsStillValidAsync(scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>(), principal, stampClaim);
    }
}
