using System.Diagnostics;
using System.Net.Http.Json;
using FunAd.Engine.Imaging;
using FunAd.Jobs.Uploads;
using FunAd.Tests.Support;
using FunAd.Tests.Uploads;
using Xunit.Abstractions;

namespace FunAd.Tests.Reliability;

/// <summary>The whole hostile corpus in one upload beside good files: every bad file gets its precise refusal, the good ones are kept.</summary>
public sealed class HostileCorpusTests(ITestOutputHelper output) : IDisposable
{
    private readonly CatalogueFixture catalogue = new();

    [Fact]
    public async Task Every_hostile_file_is_refused_for_its_reason_and_the_good_files_beside_it_are_accepted()
    {
        var project = await catalogue.AddProjectAsync();
        var corpus = HostileCorpus.Build();
        var (mixed, expectedEntries) = HostileCorpus.MixedArchive();
        var good = Enumerable.Range(0, 3).Select(i => ($"good{i}.png", UploadTestFiles.Png(48, 48, 100 + i))).ToList();
        var files = corpus.Select(f => UploadedFile.FromBytes(f.Name, f.Content))
            .Append(UploadedFile.FromBytes("mixed.zip", mixed))
            .Concat(good.Select(g => UploadedFile.FromBytes(g.Item1, g.Item2))).ToList();
        Assert.True(corpus.Count + expectedEntries.Count >= 40, $"the corpus has {corpus.Count + expectedEntries.Count} hostile files");
        var importer = new UploadImporter(catalogue.Factory, catalogue.Store, UploadLimits.Default, DecodeLimits.Default);
        var before = Process.GetCurrentProcess().PeakWorkingSet64;

        var report = await importer.ImportAsync(project.Id, files);

        var peak = Process.GetCurrentProcess().PeakWorkingSet64;
        output.WriteLine($"peak working set {before / 1048576} MiB before, {peak / 1048576} MiB after (the test process, shared with other tests)");
        Assert.Null(report.Error);
        var wrong = new List<string>();
        void Check(string name, string outcome, string reason)
        {
            var verdict = report.Files.FirstOrDefault(v => v.Name == name);
            if (verdict is null) wrong.Add($"{name}: no verdict");
            else if (verdict.Outcome != outcome || !(verdict.Reason ?? "").Contains(reason, StringComparison.Ordinal))
                wrong.Add($"{name}: {verdict.Outcome} ({verdict.Reason}), expected {outcome} ({reason})");
        }
        foreach (var file in corpus)
        {
            if (file.Name.StartsWith("../") || file.Name.StartsWith('/'))
                Check(report.Files.Single(v => v.Reason?.Contains(file.Name) == true).Name, file.Outcome, file.Reason);
            else if (file.Name.EndsWith(".zip"))
                Assert.Contains(report.Files, v => v.Name.StartsWith(file.Name) && v.Outcome == "refused" && v.Reason!.Contains(file.Reason));
            else
                Check(file.Name, file.Outcome, file.Reason);
        }
        foreach (var (entry, outcome, reason) in expectedEntries) Check($"mixed.zip/{entry}", outcome, reason);
        var twice = report.Files.Where(v => v.Name == "mixed.zip/ok/twice.png").ToList();
        Assert.Equal(["accepted", "refused"], twice.Select(v => v.Outcome));
        Assert.Contains("more than once", twice[1].Reason);
        foreach (var (name, _) in good) Check(name, "accepted", "");
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));

        // Nothing escaped the data root and nothing half-written was left.
        Assert.Empty(Directory.EnumerateFiles(catalogue.Root, "*.partial", SearchOption.AllDirectories));
        Assert.DoesNotContain(Directory.EnumerateFiles(Path.GetDirectoryName(catalogue.Root)!, "*.png", SearchOption.TopDirectoryOnly), p => true);
    }

    /// <summary>
    /// The app's memory bound for an upload, whatever is in it: one file read (64 MiB at most), one
    /// image decoded (50 megapixels at most) and a thumbnail at a time, on top of the app itself.
    /// A decoder that believed a billion-pixel header, or a zip read into memory, would pass it many times over.
    /// </summary>
    private const long MemoryBound = 1L << 30;

    [Fact]
    public async Task The_corpus_sent_to_the_running_app_keeps_it_within_its_memory_bound_and_alive()
    {
        using var data = new TemporaryFolder();
        await using var server = await ServerProcess.StartAsync(data.Path);
        (await server.Client.PostAsJsonAsync("/api/v1/projects", new { name = "hostile" })).EnsureSuccessStatusCode();
        var idle = server.PeakResidentBytes;
        var (mixed, _) = HostileCorpus.MixedArchive();
        using (var form = new MultipartFormDataContent())
        {
            foreach (var file in HostileCorpus.Build()) form.Add(new ByteArrayContent(file.Content), "files", file.Name);
            form.Add(new ByteArrayContent(mixed), "files", "mixed.zip");
            form.Add(new ByteArrayContent(UploadTestFiles.Png(48, 48, 7)), "files", "good.png");
            var reply = await server.Client.PostAsync("/api/v1/projects/1/uploads", form);
            Assert.True(reply.IsSuccessStatusCode, await reply.Content.ReadAsStringAsync());
            var verdicts = await reply.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
            Assert.Contains(verdicts.GetProperty("files").EnumerateArray(), v => v.GetProperty("name").GetString() == "good.png" && v.GetProperty("outcome").GetString() == "accepted");
        }

        var peak = server.PeakResidentBytes;
        output.WriteLine($"server peak resident memory {idle / 1048576} MiB before the upload, {peak / 1048576} MiB after (bound {MemoryBound / 1048576} MiB)");
        Assert.True(peak < MemoryBound, $"peak resident memory {peak / 1048576} MiB exceeds the bound of {MemoryBound / 1048576} MiB");
        Assert.True((await server.Client.GetAsync("/health")).IsSuccessStatusCode);
    }

    public void Dispose() => catalogue.Dispose();
}
