using System.Net;
using System.Text.RegularExpressions;
using FunAd.Jobs.Hosting;
using FunAd.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FunAd.Tests.Web.Account;

public abstract class SignInTests(CatalogueProvider provider)
{
    public sealed class OnSqlite() : SignInTests(CatalogueProvider.Sqlite);
    public sealed class OnPostgres() : SignInTests(CatalogueProvider.Postgres), IRunsOnPostgres;

    [CatalogueFact]
    public async Task Without_users_every_page_leads_to_the_one_time_set_up_which_creates_the_first_admin()
    {
        await using var factory = new FunAdWebFactory(provider);
        factory.Settings.Remove("FUNAD_ADMIN_EMAIL");
        factory.Settings.Remove("FUNAD_ADMIN_PASSWORD");
        using var client = factory.Anonymous();

        var home = await client.GetAsync("/projects");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.Equal("/setup", home.Headers.Location!.OriginalString);
        var page = await client.GetStringAsync("/setup");
        var token = Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;

        var weak = await client.PostAsync("/setup", Form(("email", "boss@funad.test"), ("password", "short"), ("__RequestVerificationToken", token)));
        Assert.Contains("error=", weak.Headers.Location!.OriginalString);
        var created = await client.PostAsync("/setup", Form(("email", "boss@funad.test"), ("password", "boss-pass-1"), ("__RequestVerificationToken", token)));
        Assert.Equal("/", created.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/users")).StatusCode);

        // Once a user exists the set-up page is gone for everyone.
        using var stranger = factory.Anonymous();
        var again = await stranger.GetAsync("/setup");
        Assert.Equal("/login", again.Headers.Location!.OriginalString);
    }

    [CatalogueFact]
    public async Task Five_wrong_passwords_lock_the_account_for_that_address_only()
    {
        await using var factory = new FunAdWebFactory(provider);
        factory.TestServices = services => services.AddTransient<Microsoft.AspNetCore.Hosting.IStartupFilter>(_ => new ClientAddress("198.51.100.7"));
        using var attacker = factory.Anonymous();

        for (var i = 0; i < 5; i++)
        {
            var wrong = await FunAdWebFactory.PostLoginAsync(attacker, FunAdWebFactory.AdminEmail, "nope-nope-1");
            Assert.Contains("error=invalid", wrong.Headers.Location!.OriginalString);
        }
        // From the attacker's address even the right password is refused now, with the same answer...
        var locked = await FunAdWebFactory.PostLoginAsync(attacker, FunAdWebFactory.AdminEmail, FunAdWebFactory.AdminPassword);
        Assert.Contains("error=invalid", locked.Headers.Location!.OriginalString);

        // ...but the admin, from another address, signs in: failing on purpose cannot lock them out.
        using var admin = factory.Anonymous();
        admin.DefaultRequestHeaders.Add(ClientAddress.Header, "192.0.2.10");
        var signedIn = await FunAdWebFactory.PostLoginAsync(admin, FunAdWebFactory.AdminEmail, FunAdWebFactory.AdminPassword);
        Assert.DoesNotContain("error=", signedIn.Headers.Location!.OriginalString);
    }

    [CatalogueFact]
    public async Task An_unknown_address_gets_the_same_answer_and_costs_the_same_password_hash_as_a_known_one()
    {
        var hasher = new CountingPasswordHasher();
        await using var factory = new FunAdWebFactory(provider);
        factory.TestServices = services => services.AddSingleton<Microsoft.AspNetCore.Identity.IPasswordHasher<FunAd.Jobs.Catalogue.AppUser>>(hasher);
        factory.Settings["FunAd:LoginAttemptsPerMinute"] = "100";
        using var client = factory.Anonymous();

        var known = await FunAdWebFactory.PostLoginAsync(client, FunAdWebFactory.AdminEmail, "nope-nope-1");
        var knownHashes = hasher.Verifications;
        var unknown = await FunAdWebFactory.PostLoginAsync(client, "nobody@funad.test", "nope-nope-1");

        Assert.Equal(1, knownHashes);
        Assert.Equal(2, hasher.Verifications);
        Assert.Equal(known.Headers.Location, unknown.Headers.Location);
        for (var i = 0; i < 5; i++) await FunAdWebFactory.PostLoginAsync(client, "nobody@funad.test", "nope-nope-1");
        for (var i = 0; i < 5; i++) await FunAdWebFactory.PostLoginAsync(client, FunAdWebFactory.AdminEmail, "nope-nope-1");
        // Locked or not, known or not: the same words.
        Assert.Equal(known.Headers.Location, (await FunAdWebFactory.PostLoginAsync(client, "nobody@funad.test", "nope-nope-1")).Headers.Location);
        Assert.Equal(known.Headers.Location, (await FunAdWebFactory.PostLoginAsync(client, FunAdWebFactory.AdminEmail, "nope-nope-1")).Headers.Location);
    }

    [CatalogueFact]
    public async Task Sign_in_attempts_are_rate_limited_per_address()
    {
        await using var factory = new FunAdWebFactory(provider);
        factory.Settings["FunAd:LoginAttemptsPerMinute"] = "3";
        using var client = factory.Anonymous();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++) statuses.Add((await FunAdWebFactory.PostLoginAsync(client, "someone@funad.test", "whatever-1")).StatusCode);

        Assert.Equal([HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }

    [CatalogueFact]
    public async Task Behind_a_proxy_a_client_cannot_choose_its_address_to_escape_the_rate_limit()
    {
        await using var factory = new FunAdWebFactory(provider);
        factory.Settings["FunAd:BehindProxy"] = "true";
        factory.Settings["FunAd:LoginAttemptsPerMinute"] = "3";
        // The in-memory server has no client address; give every request an outside one, as Kestrel would.
        factory.TestServices = services => services.AddTransient<Microsoft.AspNetCore.Hosting.IStartupFilter>(_ => new ClientAddress("198.51.100.7"));
        using var client = factory.Anonymous();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            client.DefaultRequestHeaders.Remove("X-Forwarded-For");
            client.DefaultRequestHeaders.Add("X-Forwarded-For", $"203.0.113.{i + 1}");
            statuses.Add((await FunAdWebFactory.PostLoginAsync(client, "someone@funad.test", "whatever-1")).StatusCode);
        }

        Assert.Equal([HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }

    [CatalogueFact]
    public void Trusted_proxies_are_loopback_and_the_listed_addresses_only()
    {
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [FunAd.Web.Hosting.TrustedProxies.Setting] = "10.0.0.5, 10.1.0.0/16" }).Build();

        var options = FunAd.Web.Hosting.TrustedProxies.Options(configuration);

        Assert.Contains(System.Net.IPAddress.Parse("10.0.0.5"), options.KnownProxies);
        Assert.Contains(System.Net.IPAddress.IPv6Loopback, options.KnownProxies);
        Assert.Contains(options.KnownIPNetworks, n => n.Contains(System.Net.IPAddress.Parse("10.1.200.7")));
        Assert.DoesNotContain(options.KnownIPNetworks, n => n.Contains(System.Net.IPAddress.Parse("203.0.113.9")));
        var bad = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [FunAd.Web.Hosting.TrustedProxies.Setting] = "everyone" }).Build();
        Assert.Contains("'everyone'", Assert.Throws<InvalidOperationException>(() => FunAd.Web.Hosting.TrustedProxies.Options(bad)).Message);
    }

    [CatalogueFact]
    public async Task Sign_in_returns_only_to_pages_of_this_site()
    {
        await using var factory = new FunAdWebFactory(provider);
        using var client = factory.Anonymous();

        var response = await FunAdWebFactory.PostLoginAsync(client, FunAdWebFactory.AdminEmail, FunAdWebFactory.AdminPassword, "https://evil.example/");

        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    /// <summary>Gives every request a client address, as Kestrel would: the test header's, else a fixed outside one.</summary>
    private sealed class ClientAddress(string address) : Microsoft.AspNetCore.Hosting.IStartupFilter
    {
        public const string Header = "X-Test-Client-Address";

        public Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> Configure(Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> next) => app =>
        {
            app.Use((context, following) =>
            {
                context.Connection.RemoteIpAddress = System.Net.IPAddress.Parse(context.Request.Headers[Header].FirstOrDefault() ?? address);
                return following(context);
            });
            next(app);
        };
    }

    private static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));
}
