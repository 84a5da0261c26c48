using FunAd.Tests.Support;
using FunAd.Tests.Web;
using Microsoft.Playwright;

namespace FunAd.Tests.Browser;

/// <summary>
/// A real server (Kestrel, SQLite, Hangfire) on a fresh data root, Debian's Chromium through
/// Playwright where it is there (see <see cref="BrowserFactAttribute"/>), and a folder for the files a
/// flow uploads or downloads; all of it gone after the test class.
/// </summary>
public abstract class BrowserTest : IAsyncLifetime
{
    protected RunningHost host = null!;
    protected IBrowser? browser;
    protected readonly TemporaryFolder files = new();
    private IPlaywright? playwright;

    public async Task InitializeAsync()
    {
        host = await RunningHost.StartAsync();
        if (BrowserSetup.ExecutablePath is not null || BrowserSetup.Required) (playwright, browser) = await BrowserSetup.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        if (browser is not null) await browser.DisposeAsync();
        playwright?.Dispose();
        await host.DisposeAsync();
        files.Dispose();
    }
}
