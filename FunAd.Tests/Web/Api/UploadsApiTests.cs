using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using FunAd.Jobs.Hosting;
using FunAd.Tests.Support;
using FunAd.Tests.Uploads;

namespace FunAd.Tests.Web.Api;

/// <summary>Uploads through the real HTTP pipeline: multipart files and zips in, one verdict per file out.</summary>
public abstract class UploadsApiTests(CatalogueProvider provider) : IAsyncLifetime
{
    public sealed class OnSqlite() : UploadsApiTests(CatalogueProvider.Sqlite);
    public sealed class OnPostgres() : UploadsApiTests(CatalogueProvider.Postgres), IRunsOnPostgres;

    private readonly FunAdWebFactory factory = new(provider);
    private HttpClient client = null!;
    private int projectId;

    public async Task InitializeAsync()
    {
        client = await factory.SignInAsync();
        var project = await (await client.PostAsJsonAsync("/api/v1/projects", new { name = "uploads" })).Content.ReadFromJsonAsync<JsonElement>();
        projectId = project.GetProperty("id").GetInt32();
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await factory.DisposeAsync();
    }

    private static MultipartFormDataContent Form(params (string Path, byte[] Content)[] files)
    {
        var form = new MultipartFormDataContent();
        foreach (var (path, content) in files)
        {
            form.Add(new StringContent(path), "path");
            var part = new ByteArrayContent(content);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(part, "files", Path.GetFileName(path));
        }
        return form;
    }

    private async Task<JsonElement> UploadAsync(HttpClient caller, params (string Path, byte[] Content)[] files)
    {
        var response = await caller.PostAsync($"/api/v1/projects/{projectId}/uploads", Form(files));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static string Outcome(JsonElement reply, string name) =>
        reply.GetProperty("files").EnumerateArray().Single(f => f.GetProperty("name").GetString() == name).GetProperty("outcome").GetString()!;

    [CatalogueFact]
    public async Task A_folder_upload_keeps_its_paths_labels_and_masks_and_lists_every_verdict()
    {
        var good = UploadTestFiles.Png(64, 64, 1);
        var bad = UploadTestFiles.Png(64, 64, 2);
        var mask = UploadTestFiles.Mask(64, 64, new SixLabors.ImageSharp.Rectangle(10, 10, 8, 8));

        var reply = await UploadAsync(client,
            ("bottle/test/good/000.png", good), ("bottle/test/crack/000.png", bad), ("bottle/ground_truth/crack/000_mask.png", mask),
            ("bottle/test/good/copy.png", good), ("bottle/readme.txt", "hello"u8.ToArray()));

        Assert.Equal(3, reply.GetProperty("accepted").GetInt32());
        Assert.Equal(1, reply.GetProperty("duplicates").GetInt32());
        Assert.Equal(1, reply.GetProperty("refused").GetInt32());
        Assert.Equal("refused", Outcome(reply, "bottle/readme.txt"));
        var crack = reply.GetProperty("files").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "bottle/test/crack/000.png");
        Assert.Equal("anomalous", crack.GetProperty("label").GetString());
        Assert.Equal("crack", crack.GetProperty("defectType").GetString());

        var labels = await client.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{projectId}/labels");
        Assert.Equal(2, labels.GetProperty("all").GetInt32());
        Assert.Equal(1, labels.GetProperty("withMask").GetInt32());
        var page = await client.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{projectId}/images?label=anomalous");
        var image = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.True(image.GetProperty("hasMask").GetBoolean());
        var thumbnail = await client.GetAsync(image.GetProperty("thumbnailUrl").GetString());
        Assert.Equal("image/jpeg", thumbnail.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/files/images/{image.GetProperty("id").GetInt64()}/mask")).StatusCode);
    }

    [CatalogueFact]
    public async Task Crafted_archives_and_images_are_refused_with_reasons_while_the_good_files_are_kept()
    {
        var zip = UploadTestFiles.Zip(("ok/a.png", UploadTestFiles.Png(32, 32, 3)), ("../../escape.png", UploadTestFiles.Png(32, 32, 4)),
            ("ok/truncated.png", UploadTestFiles.Png(64, 64, 5)[..100]));
        var bomb = UploadTestFiles.Zip(("zeros.png", new byte[80 * 1024 * 1024]));

        var reply = await UploadAsync(client, ("batch.zip", zip), ("bomb.zip", bomb), ("huge.png", UploadTestFiles.HugePngHeader()));

        Assert.Equal("accepted", Outcome(reply, "batch.zip/ok/a.png"));
        Assert.Equal("refused", Outcome(reply, "batch.zip/../../escape.png"));
        Assert.Equal("refused", Outcome(reply, "batch.zip/ok/truncated.png"));
        Assert.Equal("refused", Outcome(reply, "huge.png"));
        var reasons = reply.GetProperty("files").EnumerateArray().Where(f => f.GetProperty("outcome").GetString() == "refused")
            .Select(f => f.GetProperty("reason").GetString()!).ToList();
        Assert.Contains(reasons, r => r.Contains("unsafe path"));
        Assert.Contains(reasons, r => r.Contains("pixels"));
        Assert.Contains(reply.GetProperty("files").EnumerateArray(), f => f.GetProperty("name").GetString()!.StartsWith("bomb.zip") && f.GetProperty("outcome").GetString() == "refused");
        Assert.False(File.Exists(Path.Combine(factory.DataRoot, "escape.png")));
        Assert.Empty(Directory.EnumerateFiles(factory.DataRoot, "*.partial", SearchOption.AllDirectories));
    }

    [CatalogueFact]
    public async Task Only_editors_upload_and_never_into_an_archived_project()
    {
        using var anonymous = factory.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync($"/api/v1/projects/{projectId}/uploads", Form(("a.png", UploadTestFiles.Png(8, 8)))) ).StatusCode);
        (await client.PostAsJsonAsync("/api/v1/users", new { email = "v@funad.test", password = "viewer-pass-1", role = "Viewer" })).EnsureSuccessStatusCode();
        using var viewer = await factory.SignInAsync("v@funad.test", "viewer-pass-1");
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync($"/api/v1/projects/{projectId}/uploads", Form(("a.png", UploadTestFiles.Png(8, 8))))).StatusCode);

        (await client.PatchAsJsonAsync($"/api/v1/projects/{projectId}", new { archived = true })).EnsureSuccessStatusCode();
        var archived = await client.PostAsync($"/api/v1/projects/{projectId}/uploads", Form(("a.png", UploadTestFiles.Png(8, 8))));
        Assert.Equal(HttpStatusCode.Conflict, archived.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/api/v1/projects/999/uploads", Form(("a.png", UploadTestFiles.Png(8, 8))))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync($"/api/v1/projects/{projectId}/uploads", new StringContent("{}"))).StatusCode);
    }
}
