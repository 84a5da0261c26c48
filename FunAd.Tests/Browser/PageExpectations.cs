using Microsoft.Playwright;

namespace FunAd.Tests.Browser;

/// <summary>Waits whose failures say what the page showed instead.</summary>
public static class PageExpectations
{
    /// <summary>
    /// Waits for the page to reach <paramref name="urlGlob"/> after <paramref name="action"/>; if it never does, fails
    /// with what the page shows instead (its address, snackbar messages, Blazor's error bar), not only a timeout.
    /// </summary>
    public static async Task ExpectNavigationAsync(IPage page, string urlGlob, string action)
    {
        try
        {
            await page.WaitForURLAsync(urlGlob);
        }
        catch (TimeoutException)
        {
            var messages = await page.Locator(".mud-snackbar").AllTextContentsAsync();
            var errorBar = await page.Locator("#blazor-error-ui").IsVisibleAsync();
            Assert.Fail($"after {action} the page stayed at {page.Url} instead of {urlGlob}; snackbars: [{string.Join(" | ", messages)}]; " +
                        $"Blazor error bar {(errorBar ? "shown" : "hidden")}; open dialogs: {await page.Locator(".mud-dialog").CountAsync()}");
        }
    }
}
