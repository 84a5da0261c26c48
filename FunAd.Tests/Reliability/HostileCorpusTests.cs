using System.Diagnostics;
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

    public void Dispose() => catalogue.Dispose();
}
