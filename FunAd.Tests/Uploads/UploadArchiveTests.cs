using System.Buffers.Binary;
using System.IO.Compression;
using FunAd.Jobs.Hosting;
using FunAd.Jobs.Uploads;
using FunAd.Tests.Support;
using static FunAd.Tests.Uploads.UploadTestFiles;

namespace FunAd.Tests.Uploads;

/// <summary>Zip archives: entries judged one by one, hostile paths and bombs refused, temporary files removed.</summary>
public abstract class UploadArchiveTests(CatalogueProvider provider)
{
    public sealed class OnSqlite() : UploadArchiveTests(CatalogueProvider.Sqlite);
    public sealed class OnPostgres() : UploadArchiveTests(CatalogueProvider.Postgres), IRunsOnPostgres;

    [CatalogueFact]
    public async Task Accepts_the_good_entries_of_an_archive_and_refuses_the_bad_ones()
    {
        using var catalogue = await UploadTestCatalogue.CreateAsync(provider);
        var zip = Zip(
            ("photos/a.png", Png(12, 12, seed: 1)),
            ("photos/broken.png", "not a png"u8.ToArray()),
            ("photos/b.jpg", Jpeg(12, 12, seed: 2)),
            ("photos/empty.png", []),
            ("photos/readme.txt", "hi"u8.ToArray()),
            ("photos/inner.zip", Zip(("x.png", Png(4, 4)))));

        var report = await catalogue.ImportAsync(File("upload/batch.zip", zip));

        Assert.Equal(
            ["upload/batch.zip/photos/a.png", "upload/batch.zip/photos/broken.png", "upload/batch.zip/photos/b.jpg",
             "upload/batch.zip/photos/empty.png", "upload/batch.zip/photos/readme.txt", "upload/batch.zip/photos/inner.zip"],
            report.Files.Select(f => f.Name));
        Assert.Equal(
            [UploadOutcome.Accepted, UploadOutcome.Refused, UploadOutcome.Accepted, UploadOutcome.Refused, UploadOutcome.Refused, UploadOutcome.Refused],
            report.Files.Select(f => f.Outcome));
        Assert.Equal("file is empty", report.Files[3].Reason);
        Assert.Equal("archive inside an archive is not opened; upload it on its own", report.Files[5].Reason);
        var images = await catalogue.ImagesAsync();
        Assert.Equal(["upload/batch.zip/photos/a.png", "upload/batch.zip/photos/b.jpg"], images.Select(i => i.OriginalName));
        AssertNoTemporaryFiles(catalogue);
    }

    [CatalogueFact]
    public async Task Refuses_entries_with_unsafe_paths_and_writes_nothing_outside_the_root()
    {
        using var catalogue = await UploadTestCatalogue.CreateAsync(provider);
        string[] hostile = ["../evil.png", "/abs.png", "C:\\x.png", "a/../../up.png", "..\\win.png", "\\\\server\\share\\s.png", "ok/..", "bad\u0001name.png"];
        var zip = Zip([.. hostile.Select((name, i) => (name, Png(6, 6, seed: 10 + i))), ("fine/ok.png", Png(6, 6, seed: 99))]);

        var report = await catalogue.ImportAsync(File("hostile.zip", zip));

        Assert.Equal(hostile.Length + 1, report.Files.Count);
        for (int i = 0; i < hostile.Length; i++)
        {
            var shown = hostile[i].Replace('\u0001', '?');
            Assert.Equal(UploadOutcome.Refused, report.Files[i].Outcome);
            Assert.Equal($"unsafe path in the archive ('{shown}')", report.Files[i].Reason);
            Assert.Equal($"hostile.zip/{shown}", report.Files[i].Name);
        }
        Assert.Equal(UploadOutcome.Accepted, report.Files[^1].Outcome);

        // Only the accepted image (and its thumbnail) was written, inside the data root.
        var everything = Directory.EnumerateFiles(catalogue.TempRoot, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(catalogue.DataRoot, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith("catalogue.db", StringComparison.Ordinal))
            .ToList();
        Assert.Equal(2, everything.Count);
        Assert.All(everything, f => Assert.StartsWith($"projects/{catalogue.ProjectId}/", f));
        Assert.False(System.IO.File.Exists("/abs.png"));
    }

    [CatalogueFact]
    public async Task Refuses_an_entry_with_a_bomb_compression_ratio()
    {
        using var catalogue = await UploadTestCatalogue.CreateAsync(provider);
        var limits = UploadLimits.Default with { MaxCompressionRatio = 200, CompressionRatioFloorBytes = 64 * 1024 };
        var zip = Zip(("zeros.bmp", new byte[8 * 1024 * 1024]), ("after.png", Png(8, 8)));

        var report = await catalogue.Importer(limits).ImportAsync(catalogue.ProjectId, [File("bomb.zip", zip)]);

        Assert.Equal(UploadOutcome.Refused, report.Files[0].Outcome);
        Assert.Matches(@"^entry expands more than 200:1 from \d+ compressed bytes, refused as a likely zip bomb$", report.Files[0].Reason);
        Assert.Equal(UploadOutcome.Accepted, report.Files[1].Outcome);
    }

    [CatalogueFact]
    public async Task Stops_reading_once_an_archive_expands_beyond_its_budget()
    {
        using var catalogue = await UploadTestCatalogue.CreateAsync(provider);
        // Noise compresses badly, so these entries pass the ratio test; together they pass the budget.
        var entries = Enumerable.Range(0, 6).Select(i => ($"n{i}.png", Noise(100 * 1024, seed: i))).ToArray();
        var limits = UploadLimits.Default with { MaxExpandedBytes = 350 * 1024 };

        var report = await catalogue.Importer(limits).ImportAsync(catalogue.ProjectId, [File("big.zip", Zip(entries))]);

        // Three entries fit (read and refused as not-PNGs); the fourth crosses the budget, the rest are not read.
        Assert.All(report.Files.Take(3), f => Assert.StartsWith("not a supported image format", f.Reason));
        Assert.All(report.Files.Skip(3), f => Assert.Equal("archive expands beyond 350 KiB", f.Reason));
    }

    [CatalogueFact]
    public async Task Counts_expanded_bytes_itself_and_stops_at_the_budget()
    {
        using var catalogue = await UploadTestCatalogue.CreateAsync(provider);
        var zip = Zip(CompressionLevel.Fastest, ("bomb.png", new byte[64 * 1024 * 1024]));
        var limits = UploadLimits.Default with { MaxExpandedBytes = 1024 * 1024, MaxFileBytes = 1L << 30, MaxCompressionRatio = int.MaxValue };

        var (archive, refusal) = await OpenedArchive.OpenAsync(File("bomb.zip", zip), catalogue.Store, limits, CancellationToken.None);
        Assert.Null(refusal);
        using (archive)
        {
            var result = await archive!.ReadEntryAsync(archive.Entries[0], limits.MaxFileBytes, CancellationToken.None);

            Assert.Equal("archive expands beyond 1 MiB", result.Refusal);
            Assert.InRange(result.BytesRead, 1024 * 1024, 1024 * 1024 + 81920);
        }
    }

    [CatalogueFact]
    public async Task Does_not_trust_the_declared_size_of_an_entry()
    {
        using var catalogue = await UploadTestCatalogue.CreateAsync(provider);
        var zip = Zip(("liar.png", Noise(200 * 1024, seed: 7)));
        DeclareUncompressedSize(zip, 100);
        var limits = UploadLimits.Default with { MaxFileBytes = 64 * 1024 };

        var report = await catalogue.Importer(limits).ImportAsync(catalogue.ProjectId, [File("liar.zip", zip)]);

        var verdict = Assert.Single(report.Files);
        Assert.Equal(UploadOutcome.Refused, verdict.Outcome);
        // The runtime stops at the declared size (the image is then cut short); were it to read on, the
        // importer's own count would stop it at the limit. Either way the entry never gets through.
        Assert.Matches("^(file is over the limit of 64 KiB|entry cannot be read from the archive: .+|file is corrupt: .+|not a supported image format.*)$", verdict.Reason);
    }

    [CatalogueFact]
    public async Task Refuses_an_archive_with_too_many_entries_before_opening_it()
    {
        using var catalogue = await UploadTestCatalogue.CreateAsync(provider);
        var zip = Zip([.. Enumerable.Range(0, 12).Select(i => ($"{i}.png", new byte[] { (byte)i }))]);
        var limits = UploadLimits.Default with { MaxEntries = 10 };

        var report = await catalogue.Importer(limits).ImportAsync(catalogue.ProjectId, [File("many.zip", zip)]);

        var verdict = Assert.Single(report.Files);
        Assert.Equal(("many.zip", UploadOutcome.Refused, "archive has more than 10 entries"), (verdict.Name, verdict.Outcome, verdict.Reason));
        AssertNoTemporaryFiles(catalogue);
    }

    [CatalogueFact]
    public async Task Refuses_corrupt_archives_and_corrupt_entries()
    {
        using var catalogue = await UploadTestCatalogue.CreateAsync(provider);
        var noise = Noise(4096, seed: 3);
        var good = Zip(("a.png", Png(8, 8, seed: 1)), ("b.png", Png(8, 8, seed: 2)));
        var damaged = (byte[])good.Clone();
        // Ruin the first entry's compressed data (it starts after the 30-byte local header and its name).
        for (int i = 30 + "a.png".Length + 4; i < 30 + "a.png".Length + 24; i++) damaged[i] ^= 0x5A;

        var report = await catalogue.ImportAsync(
            File("noise.zip", noise), File("cut.zip", good[..(good.Length / 2)]), File("damaged.zip", damaged), File("empty.zip", Zip()));

        Assert.Equal(["noise.zip", "cut.zip", "damaged.zip/a.png", "damaged.zip/b.png", "empty.zip"], report.Files.Select(f => f.Name));
        Assert.StartsWith("archive is corrupt: ", report.Files[0].Reason);
        Assert.StartsWith("archive is corrupt: ", report.Files[1].Reason);
        Assert.StartsWith("entry cannot be read from the archive: ", report.Files[2].Reason);
        Assert.Equal(UploadOutcome.Accepted, report.Files[3].Outcome);
        Assert.Equal("archive holds no files", report.Files[4].Reason);
        AssertNoTemporaryFiles(catalogue);
    }

    [CatalogueFact]
    public async Task Refuses_an_archive_over_the_upload_limit_without_reading_it_all()
    {
        using var catalogue = await UploadTestCatalogue.CreateAsync(provider);
        var endless = new EndlessStream();
        var limits = UploadLimits.Default with { MaxArchiveBytes = 100_000 };

        var report = await catalogue.Importer(limits).ImportAsync(catalogue.ProjectId, [new UploadedFile("endless.zip", () => endless)]);

        Assert.Equal("archive is over the limit of 100000 bytes", Assert.Single(report.Files).Reason);
        Assert.InRange(endless.BytesRead, 100_001, 100_001);
        AssertNoTemporaryFiles(catalogue);
    }

    [CatalogueFact]
    public async Task Skips_folder_entries_and_macos_metadata_is_refused_by_name()
    {
        using var catalogue = await UploadTestCatalogue.CreateAsync(provider);
        var zip = Zip(("set/", []), ("set/a.png", Png(5, 5)), ("__MACOSX/set/._a.png", [0, 5, 22, 7]));

        var report = await catalogue.ImportAsync(File("mac.zip", zip));

        Assert.Equal(["mac.zip/set/a.png", "mac.zip/__MACOSX/set/._a.png"], report.Files.Select(f => f.Name));
        Assert.Equal(UploadOutcome.Accepted, report.Files[0].Outcome);
        Assert.Equal("macOS metadata (__MACOSX or ._ file), not an image", report.Files[1].Reason);
    }

    private static void AssertNoTemporaryFiles(UploadTestCatalogue catalogue)
    {
        var tmp = Path.Combine(catalogue.DataRoot, "tmp");
        Assert.Empty(Directory.Exists(tmp) ? Directory.GetFiles(tmp) : []);
        Assert.Empty(catalogue.Store.FindTemporaryFiles());
    }

    private static byte[] Noise(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Rewrites the uncompressed size of the only entry in both its local and central headers.</summary>
    private static void DeclareUncompressedSize(byte[] zip, uint size)
    {
        Assert.Equal(0x04034b50u, BinaryPrimitives.ReadUInt32LittleEndian(zip));
        BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(22), size);
        int central = zip.AsSpan().IndexOf(new byte[] { 0x50, 0x4B, 0x01, 0x02 });
        Assert.True(central > 0);
        BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(central + 24), size);
    }
}
