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

    /// <summary>
    /// A new page signed in as the test admin and interactive at <paramref name="path"/>, with <paramref name="timeout"/>
    /// (ms) for actions and expectations, and the list every console error it logs is added to (a flow ends by asserting it empty).
    /// </summary>
    protected async Task<(IPage Page, List<string> ConsoleErrors)> SignedInPageAsync(string path, float timeout, ViewportSize? viewport = null)
    {
        var context = await browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = host.Address, ViewportSize = viewport });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(timeout);
        Assertions.SetDefaultExpectTimeout(timeout);
        var errors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") errors.Add($"{page.Url}: {message.Text}"); };
        await BrowserSetup.SignInAsAdminAsync(page, path);
        return (page, errors);
    }

    public async Task DisposeAsync()
    {
        if (browser is not null) await browser.DisposeAsync();
        playwright?.Dispose();
        await host.DisposeAsync();
        files.Dispose();
    }
}
