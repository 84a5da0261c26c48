using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FunAd.Jobs.Hosting;
using FunAd.Tests.Support;
using FunAd.Tests.Uploads;

namespace FunAd.Tests.Web.Api;

/// <summary>
/// The outside probe's malformed requests: each gets a 4xx with a reason in the documented
/// problem shape (status and detail), never a 500, and nothing out of range is stored.
/// </summary>
public abstract class HostileRequestTests(CatalogueProvider provider) : IAsyncLifetime
{
    public sealed class OnSqlite() : HostileRequestTests(CatalogueProvider.Sqlite);
    public sealed class OnPostgres() : HostileRequestTests(CatalogueProvider.Postgres), IRunsOnPostgres;

    private readonly FunAdWebFactory factory = new(provider);
    private HttpClient admin = null!;
    private int projectId;

    public async Task InitializeAsync()
    {
        admin = await factory.SignInAsync();
        var project = await (await admin.PostAsJsonAsync("/api/v1/projects", new { name = "probe" })).Content.ReadFromJsonAsync<JsonElement>();
        projectId = project.GetProperty("id").GetInt32();
        using var form = new MultipartFormDataContent();
        for (var i = 0; i < 3; i++) form.Add(new ByteArrayContent(UploadTestFiles.Png(32, 32, i)), "files", $"{i}.png");
        (await admin.PostAsync($"/api/v1/projects/{projectId}/uploads", form)).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        admin.Dispose();
        await factory.DisposeAsync();
    }

    public static TheoryData<string, string> OutOfRangeParameters => new()
    {
        { "epsilon", "-1" }, { "lambda", "-1e300" }, { "stablePatience", "-5" }, { "epochs", "2147483647" }, { "batchSize", "2147483647" },
        { "checkpointEvery", "2147483647" }, { "bankCap", "2147483647" }, { "epsilon", "NaN" }, { "lambda", "Infinity" }, { "lr", "-Infinity" },
    };

    [CatalogueTheory]
    [MemberData(nameof(OutOfRangeParameters))]
    public async Task Run_parameters_out_of_their_documented_range_are_refused_with_the_range(string name, string value)
    {
        var response = await admin.PostAsJsonAsync($"/api/v1/projects/{projectId}/runs",
            new { method = "funad", profile = "fast", parameters = new Dictionary<string, string> { [name] = value } });

        var error = await ErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(name, error, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("serializ", error, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(await admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/projects/{projectId}/runs") ?? []);
    }

    public static TheoryData<string, string> OutOfRangeBankSettings => new()
    {
        { "setAsideShare", "2" }, { "suspectShare", "-0.5" }, { "patchQuantile", "NaN" }, { "neighbours", "0" }, { "projectionDimension", "2147483647" },
        { "cleaning", "everything" },
    };

    [CatalogueTheory]
    [MemberData(nameof(OutOfRangeBankSettings))]
    public async Task Memory_bank_settings_out_of_range_are_refused(string name, string value)
    {
        var response = await admin.PostAsJsonAsync($"/api/v1/projects/{projectId}/runs",
            new { method = "funad-bank", profile = "fast", parameters = new Dictionary<string, string> { [name] = value } });

        var error = await ErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(name, error, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(await admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/projects/{projectId}/runs") ?? []);
    }

    [CatalogueFact]
    public async Task Other_run_settings_out_of_range_are_refused()
    {
        await ErrorAsync(await admin.PostAsJsonAsync($"/api/v1/projects/{projectId}/runs", new { method = "patchcore", coresetRatio = 0 }), HttpStatusCode.BadRequest);
        await ErrorAsync(await admin.PostAsJsonAsync($"/api/v1/projects/{projectId}/runs", new { method = "patchcore", coresetRatio = 7 }), HttpStatusCode.BadRequest);
        await ErrorAsync(await admin.PostAsJsonAsync($"/api/v1/projects/{projectId}/runs", new { method = "no-such-method" }), HttpStatusCode.BadRequest);
        await ErrorAsync(await admin.GetAsync("/api/v1/parameters?method=no-such-method"), HttpStatusCode.BadRequest);
    }

    [CatalogueFact]
    public async Task Project_names_with_control_characters_are_refused()
    {
        var error = await ErrorAsync(await admin.PostAsJsonAsync("/api/v1/projects", new { name = "bad\0name" }), HttpStatusCode.BadRequest);
        Assert.Contains("control character", error);
        await ErrorAsync(await admin.PatchAsJsonAsync($"/api/v1/projects/{projectId}", new { name = "line\nbreak" }), HttpStatusCode.BadRequest);
    }

    [CatalogueFact]
    public async Task Malformed_json_gets_the_documented_error_shape()
    {
        using var body = new StringContent("{\"name\": ", Encoding.UTF8, "application/json");
        var error = await ErrorAsync(await admin.PostAsync("/api/v1/projects", body), HttpStatusCode.BadRequest);
        Assert.NotEmpty(error);
        using var wrongType = new StringContent("{\"name\": 5}", Encoding.UTF8, "application/json");
        await ErrorAsync(await admin.PostAsync("/api/v1/projects", wrongType), HttpStatusCode.BadRequest);
    }

    [CatalogueFact]
    public async Task Broken_multipart_bodies_get_400_not_500()
    {
        using var noBoundary = new ByteArrayContent("--x\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.png\"\r\n\r\nabc\r\n--x--\r\n"u8.ToArray());
        noBoundary.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data");
        await ErrorAsync(await admin.PostAsync($"/api/v1/projects/{projectId}/uploads", noBoundary), HttpStatusCode.BadRequest);

        using var truncated = new ByteArrayContent("--x\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.png\"\r\n\r\nabc"u8.ToArray());
        truncated.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=x");
        await ErrorAsync(await admin.PostAsync($"/api/v1/projects/{projectId}/uploads", truncated), HttpStatusCode.BadRequest);

        var longHeader = "--x\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.png\"\r\nX-Long: " + new string('a', 20_000) + "\r\n\r\nabc\r\n--x--\r\n";
        using var bigHeaders = new ByteArrayContent(Encoding.ASCII.GetBytes(longHeader));
        bigHeaders.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=x");
        await ErrorAsync(await admin.PostAsync($"/api/v1/projects/{projectId}/uploads", bigHeaders), HttpStatusCode.BadRequest);
    }

    [CatalogueFact]
    public async Task Thresholds_need_both_values()
    {
        // No finished run is needed to be refused for a missing value.
        var error = await ErrorAsync(await admin.PutAsJsonAsync("/api/v1/runs/1/thresholds", new { high = 0.7 }), HttpStatusCode.BadRequest);
        Assert.Contains("low", error);
    }

    [CatalogueFact]
    public async Task A_return_path_with_control_characters_after_a_correct_password_goes_home()
    {
        // (A NUL is refused by the form reader itself, 400, before any of this.)
        foreach (var returnUrl in new[] { "/\tevil.example", "/runs\r\nSet-Cookie: x=y", "/ok\u0007" })
        {
            using var client = factory.Anonymous();
            var response = await FunAdWebFactory.PostLoginAsync(client, FunAdWebFactory.AdminEmail, FunAdWebFactory.AdminPassword, returnUrl);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{Uri.EscapeDataString(returnUrl)}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.Equal("/", response.Headers.Location!.OriginalString);
        }
    }

    private static Task<string> ErrorAsync(HttpResponseMessage response, HttpStatusCode status) => ProblemReplies.DetailAsync(response, status);
}
