using System.Net;
using System.Text.RegularExpressions;
using FunAd.Jobs.Hosting;
using FunAd.Tests.Support;

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
    public async Task Wrong_passwords_are_refused_then_lock_the_account()
    {
        await using var factory = new FunAdWebFactory(provider);
        using var client = factory.Anonymous();

        var wrong = await FunAdWebFactory.PostLoginAsync(client, FunAdWebFactory.AdminEmail, "nope-nope-1");
        Assert.Contains("error=invalid", wrong.Headers.Location!.OriginalString);
        for (var i = 0; i < 4; i++) await FunAdWebFactory.PostLoginAsync(client, FunAdWebFactory.AdminEmail, "nope-nope-1");
        var locked = await FunAdWebFactory.PostLoginAsync(client, FunAdWebFactory.AdminEmail, FunAdWebFactory.AdminPassword);
        Assert.Contains("error=locked", locked.Headers.Location!.OriginalString);
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
    public async Task Sign_in_returns_only_to_pages_of_this_site()
    {
        await using var factory = new FunAdWebFactory(provider);
        using var client = factory.Anonymous();

        var response = await FunAdWebFactory.PostLoginAsync(client, FunAdWebFactory.AdminEmail, FunAdWebFactory.AdminPassword, "https://evil.example/");

        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    private static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));
}
