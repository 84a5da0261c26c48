using FunAd.Jobs.Hosting;
using FunAd.Jobs.Uploads;
using FunAd.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using static FunAd.Tests.Uploads.UploadTestFiles;

namespace FunAd.Tests.Uploads;

/// <summary>The importer's small parts: name checks, zip directory counting, sizes and limits.</summary>
public sealed class UploadPartsTests
{
    [Theory]
    [InlineData("a.png", "a.png")]
    [InlineData("bottle/test/good/000.png", "bottle/test/good/000.png")]
    [InlineData("./x//y/./z.png", "x/y/z.png")]
    [InlineData("win\\style\\a.png", "win/style/a.png")]
    public void Normalises_safe_names(string raw, string expected)
    {
        Assert.True(UploadPath.TryNormalize(raw, out var path));
        Assert.Equal(expected, path);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("..")]
    [InlineData("../a.png")]
    [InlineData("a/../../b.png")]
    [InlineData("a/..")]
    [InlineData("..\\a.png")]
    [InlineData("/etc/passwd")]
    [InlineData("\\\\server\\share\\a.png")]
    [InlineData("C:\\a.png")]
    [InlineData("c:a.png")]
    [InlineData("a.png:stream")]
    [InlineData("a\0.png")]
    public void Refuses_unsafe_names(string raw) => Assert.False(UploadPath.TryNormalize(raw, out _));

    [Fact]
    public void Counts_zip_entries_up_to_the_limit()
    {
        var zip = Zip([.. Enumerable.Range(0, 25).Select(i => ($"{i}.bin", new byte[] { 1 }))]);

        Assert.Equal(25, ZipEntryCounter.Count(new MemoryStream(zip), stopAfter: 100));
        Assert.Equal(11, ZipEntryCounter.Count(new MemoryStream(zip), stopAfter: 10));
        Assert.Equal(0, ZipEntryCounter.Count(new MemoryStream(Zip()), stopAfter: 10));
        Assert.Null(ZipEntryCounter.Count(new MemoryStream(new byte[100]), stopAfter: 10));
        Assert.Null(ZipEntryCounter.Count(new MemoryStream(zip[..(zip.Length - 30)]), stopAfter: 10));
    }

    [Fact]
    public void Counts_headers_beyond_the_declared_count()
    {
        var zip = Zip([.. Enumerable.Range(0, 5).Select(i => ($"{i}.bin", new byte[] { 1 }))]);
        int end = zip.AsSpan().LastIndexOf(new byte[] { 0x50, 0x4B, 0x05, 0x06 });
        zip[end + 8] = 1;   // entries on this disk
        zip[end + 10] = 1;  // entries in total: a lie

        Assert.Equal(5, ZipEntryCounter.Count(new MemoryStream(zip), stopAfter: 100));
    }

    [Fact]
    public async Task Bounded_read_takes_one_byte_past_the_limit_at_most()
    {
        var endless = new EndlessStream();

        var result = await BoundedRead.ReadAsync(endless, 200_000, check: null, CancellationToken.None);

        Assert.Null(result.Bytes);
        Assert.Equal("file is over the limit of 200000 bytes", result.Refusal);
        Assert.Equal(200_001, endless.BytesRead);
    }

    [Theory]
    [InlineData(400, 200, 192, 96)]
    [InlineData(200, 400, 96, 192)]
    [InlineData(192, 10, 192, 10)]
    [InlineData(50, 40, 50, 40)]
    [InlineData(10000, 10, 192, 1)]
    public void Thumbnails_fit_within_the_longest_side(int width, int height, int expectedWidth, int expectedHeight) =>
        Assert.Equal((expectedWidth, expectedHeight), ThumbnailEncoder.FitWithin(width, height, 192));

    [Theory]
    [InlineData(4L << 30, "4 GiB")]
    [InlineData(64L << 20, "64 MiB")]
    [InlineData(350L << 10, "350 KiB")]
    [InlineData(1000L, "1000 bytes")]
    [InlineData(1025L, "1025 bytes")]
    public void Formats_sizes_exactly(long bytes, string expected) => Assert.Equal(expected, UploadLimits.FormatBytes(bytes));

    [Fact]
    public void Limits_are_read_from_configuration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["FunAd:Uploads:MaxEntries"] = "5",
            ["FunAd:Uploads:MaxExpandedBytes"] = "1048576",
        }).Build();

        var limits = CatalogueSetup.ReadOptions(configuration).Uploads;

        Assert.Equal(UploadLimits.Default with { MaxEntries = 5, MaxExpandedBytes = 1048576 }, limits);
    }

    [Fact]
    public void The_catalogue_registers_the_importer_with_the_configured_limits()
    {
        using var temp = new TemporaryFolder();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["FunAd:DataRoot"] = temp.Path,
            ["FunAd:Uploads:MaxEntries"] = "7",
        }).Build();
        using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddFunAdCatalogue().BuildServiceProvider();

        Assert.NotNull(services.GetRequiredService<UploadImporter>());
        Assert.Equal(7, services.GetRequiredService<UploadLimits>().MaxEntries);
    }

    [Fact]
    public void Refuses_limits_that_are_not_positive() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => (UploadLimits.Default with { MaxEntries = 0 }).Validate());
}
