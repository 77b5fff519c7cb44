using Microsoft.Playwright;

namespace CepGeo.Tests.Viewer;

/// <summary>
/// One Debian Chromium per test class (Playwright's own browser download cannot run here:
/// .ci/run installs the Debian package instead).
/// </summary>
public sealed class ChromiumBrowser : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>Screenshots of failures and of the views looked at by hand.</summary>
    public static string ScreenshotDir { get; } = Path.Combine(TestPaths.RepoRoot, "TestResults", "viewer");

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(ScreenshotDir);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
    }
}
