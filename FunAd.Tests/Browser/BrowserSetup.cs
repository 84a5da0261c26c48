using Microsoft.Playwright;

namespace FunAd.Tests.Browser;

/// <summary>Finds and launches Chromium for the browser tests (Playwright's own browser downloads are unreachable here).</summary>
public static class BrowserSetup
{
    public static IReadOnlyList<string> Candidates { get; } =
        [Environment.GetEnvironmentVariable("FUNAD_CHROMIUM") ?? "", "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

    public static string? ExecutablePath => Candidates.FirstOrDefault(p => p.Length > 0 && File.Exists(p));

    public static bool Required => Environment.GetEnvironmentVariable("FUNAD_REQUIRE_BROWSER") == "1";

    /// <summary>Signs in as the test host's admin through the sign-in page and waits until <paramref name="returnUrl"/> is interactive.</summary>
    public static async Task SignInAsAdminAsync(IPage page, string returnUrl)
    {
        await page.GotoAsync($"/login?returnUrl={returnUrl}");
        await page.FillAsync("#email", FunAd.Tests.Web.FunAdWebFactory.AdminEmail);
        await page.FillAsync("#password", FunAd.Tests.Web.FunAdWebFactory.AdminPassword);
        await page.ClickAsync("#sign-in");
        await Assertions.Expect(page.Locator("#funad-interactive")).ToHaveAttributeAsync("data-ready", "true");
    }

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        var path = ExecutablePath ?? throw new InvalidOperationException(
            $"FUNAD_REQUIRE_BROWSER=1 but no Chromium was found (looked at {string.Join(", ", Candidates.Where(c => c.Length > 0))}).");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = path,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage"],
        });
        return (playwright, browser);
    }
}
