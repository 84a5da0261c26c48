using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FunAd.Jobs.Hosting;
using FunAd.Tests.Support;
using FunAd.Tests.Uploads;

namespace FunAd.Tests.Web.Api;

public abstract class ProjectsApiTests(CatalogueProvider provider) : IAsyncLifetime
{
    public sealed class OnSqlite() : ProjectsApiTests(CatalogueProvider.Sqlite);
    public sealed class OnPostgres() : ProjectsApiTests(CatalogueProvider.Postgres), IRunsOnPostgres;

    private readonly FunAdWebFactory factory = new(provider);
    private HttpClient client = null!;

    public async Task InitializeAsync() => client = await factory.SignInAsync();

    public async Task DisposeAsync()
    {
        client.Dispose();
        await factory.DisposeAsync();
    }

    [CatalogueFact]
    public async Task Projects_are_created_listed_renamed_archived_and_restored()
    {
        var created = await client.PostAsJsonAsync("/api/v1/projects", new { name = "  Bottle caps ", mode = "semantic" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var project = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = project.GetProperty("id").GetInt32();
        Assert.Equal("Bottle caps", project.GetProperty("name").GetString());
        Assert.Equal("semantic", project.GetProperty("mode").GetString());
        Assert.Equal("resnet18", project.GetProperty("backbone").GetString());

        (await client.PatchAsJsonAsync($"/api/v1/projects/{id}", new { name = "Caps" })).EnsureSuccessStatusCode();
        (await client.PatchAsJsonAsync($"/api/v1/projects/{id}", new { archived = true })).EnsureSuccessStatusCode();
        Assert.Empty(await client.GetFromJsonAsync<JsonElement[]>("/api/v1/projects") ?? []);
        var all = await client.GetFromJsonAsync<JsonElement[]>("/api/v1/projects?includeArchived=true");
        Assert.Equal("Caps", Assert.Single(all!).GetProperty("name").GetString());
        (await client.PatchAsJsonAsync($"/api/v1/projects/{id}", new { archived = false })).EnsureSuccessStatusCode();
        Assert.Single(await client.GetFromJsonAsync<JsonElement[]>("/api/v1/projects") ?? []);
    }

    [CatalogueFact]
    public async Task A_backbone_is_the_built_in_one_or_a_file_of_the_servers_backbone_folder_only()
    {
        var folder = Path.Combine(factory.DataRoot, "backbones");
        Directory.CreateDirectory(folder);
        await File.WriteAllBytesAsync(Path.Combine(folder, "vit.onnx"), [1, 2, 3]);
        File.CreateSymbolicLink(Path.Combine(folder, "passwd.onnx"), "/etc/passwd");

        // The probe: any server path answered 201 when it existed, 400 when not (a file-system oracle).
        await AssertError(await client.PostAsJsonAsync("/api/v1/projects", new { name = "x", backbone = "/etc/passwd" }), HttpStatusCode.BadRequest, "file name of a token-contract .onnx file");
        await AssertError(await client.PostAsJsonAsync("/api/v1/projects", new { name = "x", backbone = "/etc/hostname.onnx" }), HttpStatusCode.BadRequest, "file name of a token-contract .onnx file");
        await AssertError(await client.PostAsJsonAsync("/api/v1/projects", new { name = "x", backbone = "../catalogue.onnx" }), HttpStatusCode.BadRequest, "file name of a token-contract .onnx file");
        await AssertError(await client.PostAsJsonAsync("/api/v1/projects", new { name = "x", backbone = "passwd.onnx" }), HttpStatusCode.BadRequest, "a link to /etc/passwd");
        await AssertError(await client.PostAsJsonAsync("/api/v1/projects", new { name = "x", backbone = "missing.onnx" }), HttpStatusCode.BadRequest, "no such file");

        var created = await client.PostAsJsonAsync("/api/v1/projects", new { name = "vit", backbone = "vit.onnx" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("vit.onnx", (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("backbone").GetString());
    }

    [CatalogueFact]
    public async Task Bad_requests_get_a_reason_not_a_server_error()
    {
        await AssertError(await client.PostAsJsonAsync("/api/v1/projects", new { name = "" }), HttpStatusCode.BadRequest, "needs a name");
        await AssertError(await client.PostAsJsonAsync("/api/v1/projects", new { name = "x", mode = "sideways" }), HttpStatusCode.BadRequest, "Unknown mode 'sideways'");
        await AssertError(await client.PostAsJsonAsync("/api/v1/projects", new { name = "x", backbone = "/nowhere/model.onnx" }), HttpStatusCode.BadRequest, "/nowhere/model.onnx");
        await AssertError(await client.GetAsync("/api/v1/projects/404"), HttpStatusCode.NotFound, "Project 404 does not exist");
        await AssertError(await client.GetAsync("/api/v1/runs/404"), HttpStatusCode.NotFound, "Run 404 does not exist");
        await AssertError(await client.GetAsync("/api/v1/projects/1/images?label=purple"), HttpStatusCode.BadRequest, "Unknown label");

        var project = await (await client.PostAsJsonAsync("/api/v1/projects", new { name = "empty" })).Content.ReadFromJsonAsync<JsonElement>();
        var id = project.GetProperty("id").GetInt32();
        await AssertError(await client.PostAsJsonAsync($"/api/v1/projects/{id}/runs", new { method = "funad" }), HttpStatusCode.Conflict, "no images");
    }

    [CatalogueFact]
    public async Task A_project_is_deleted_for_good_and_says_so_after()
    {
        var created = await (await client.PostAsJsonAsync("/api/v1/projects", new { name = "short-lived" })).Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetInt32();

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/projects/{id}")).StatusCode);
        Assert.Contains($"Project {id}", await ProblemReplies.DetailAsync(await client.GetAsync($"/api/v1/projects/{id}"), HttpStatusCode.NotFound));
        Assert.Contains($"Project {id}", await ProblemReplies.DetailAsync(await client.DeleteAsync($"/api/v1/projects/{id}"), HttpStatusCode.NotFound));
        Assert.Contains($"Run 999", await ProblemReplies.DetailAsync(await client.DeleteAsync("/api/v1/runs/999"), HttpStatusCode.NotFound));
    }

    [CatalogueFact]
    public async Task An_image_is_read_relabelled_left_out_of_training_and_sorted()
    {
        var created = await (await client.PostAsJsonAsync("/api/v1/projects", new { name = "curated" })).Content.ReadFromJsonAsync<JsonElement>();
        var project = created.GetProperty("id").GetInt32();
        using (var form = new MultipartFormDataContent { { new ByteArrayContent(UploadTestFiles.Png(32, 32)), "files", "b.png" }, { new ByteArrayContent(UploadTestFiles.Png(40, 32)), "files", "a.png" } })
            (await client.PostAsync($"/api/v1/projects/{project}/uploads", form)).EnsureSuccessStatusCode();
        var page = await client.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{project}/images?sort=name");
        var names = page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()).ToList();
        Assert.Equal(["a.png", "b.png"], names);
        var id = page.GetProperty("items")[0].GetProperty("id").GetInt64();

        var changed = await client.PatchAsJsonAsync($"/api/v1/images/{id}", new { label = "anomalous", defectType = "crack", leftOutOfTraining = true });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var detail = await client.GetFromJsonAsync<JsonElement>($"/api/v1/images/{id}");
        var image = detail.GetProperty("image");
        Assert.Equal(("anomalous", "crack", true), (image.GetProperty("label").GetString(), image.GetProperty("defectType").GetString(), image.GetProperty("leftOutOfTraining").GetBoolean()));
        Assert.Equal(0, detail.GetProperty("runs").GetArrayLength());

        Assert.Contains("Unknown label", await ProblemReplies.DetailAsync(await client.PatchAsJsonAsync($"/api/v1/images/{id}", new { label = "broken" }), HttpStatusCode.BadRequest));
        Assert.Contains("Unknown order", await ProblemReplies.DetailAsync(await client.GetAsync($"/api/v1/projects/{project}/images?sort=size"), HttpStatusCode.BadRequest));
        Assert.Contains("Image 999", await ProblemReplies.DetailAsync(await client.GetAsync("/api/v1/images/999"), HttpStatusCode.NotFound));
    }

    [CatalogueFact]
    public async Task Errors_from_every_layer_share_the_problem_shape()
    {
        using var anonymous = factory.Anonymous();
        // Refused by authentication, by routing, by a handler's exception, by the request reader.
        Assert.NotEmpty(await ProblemReplies.DetailAsync(await anonymous.GetAsync("/api/v1/projects"), HttpStatusCode.Unauthorized));
        Assert.NotEmpty(await ProblemReplies.DetailAsync(await client.GetAsync("/api/v1/no-such-thing"), HttpStatusCode.NotFound));
        Assert.Contains("Project 404", await ProblemReplies.DetailAsync(await client.GetAsync("/api/v1/projects/404"), HttpStatusCode.NotFound));
        using var malformed = new StringContent("{\"name\":", System.Text.Encoding.UTF8, "application/json");
        Assert.Contains("JSON", await ProblemReplies.DetailAsync(await client.PostAsync("/api/v1/projects", malformed), HttpStatusCode.BadRequest));
    }

    [CatalogueFact]
    public async Task Parameters_list_every_setting_with_its_profile_value_and_an_explanation()
    {
        var fast = await client.GetFromJsonAsync<JsonElement[]>("/api/v1/parameters?profile=fast&mode=defect&method=funad");
        var paper = await client.GetFromJsonAsync<JsonElement[]>("/api/v1/parameters?profile=paper&mode=defect&method=funad");
        // The default method, funad-bank, has its own settings besides FUN-AD's.
        var bank = await client.GetFromJsonAsync<JsonElement[]>("/api/v1/parameters?profile=fast&mode=defect");

        int Settable(Type type) => type.GetProperties().Count(p => p.CanWrite);
        Assert.Equal(Settable(typeof(Engine.Training.FunAdOptions)), fast!.Length);
        Assert.Equal(Settable(typeof(Engine.Training.FunAdOptions)) + Settable(typeof(Engine.FunAdBank.FunAdBankOptions)), bank!.Length);
        Assert.All(bank, p => Assert.False(string.IsNullOrWhiteSpace(p.GetProperty("description").GetString())));
        Assert.All(fast, p => Assert.False(string.IsNullOrWhiteSpace(p.GetProperty("description").GetString())));
        string Value(JsonElement[] list, string name) => list.Single(p => p.GetProperty("name").GetString() == name).GetProperty("value").GetString()!;
        Assert.Equal("1500", Value(paper!, "epochs"));
        Assert.Equal("2.5", Value(paper!, "lambda"));
        Assert.NotEqual(Value(paper!, "epochs"), Value(fast, "epochs"));
    }

    [CatalogueFact]
    public async Task The_api_is_described_by_openapi()
    {
        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();

        Assert.Contains("/api/v1/projects", paths);
        Assert.Contains("/api/v1/projects/{id}/runs", paths);
        Assert.Contains("/api/v1/runs/{id}", paths);
        Assert.Contains("/api/v1/runs/{id}/model.onnx", paths);
    }

    private static async Task AssertError(HttpResponseMessage response, HttpStatusCode status, string reason) =>
        Assert.Contains(reason, await ProblemReplies.DetailAsync(response, status));
}
