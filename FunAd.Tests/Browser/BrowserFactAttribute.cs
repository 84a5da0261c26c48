namespace FunAd.Tests.Browser;

/// <summary>
/// A test that drives a real browser (Debian's Chromium through Playwright). Where Chromium is
/// missing it is skipped with the reason, unless FUNAD_REQUIRE_BROWSER=1 (set by .ci/run): there a
/// missing browser is a failure, not a skip.
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (BrowserSetup.ExecutablePath is null && !BrowserSetup.Required)
            Skip = $"Chromium not found (looked at {string.Join(", ", BrowserSetup.Candidates)}; set FUNAD_CHROMIUM to its path or apt-get install chromium): browser tests skipped.";
    }
}
