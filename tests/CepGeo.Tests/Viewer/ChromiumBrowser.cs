using Microsoft.Playwright;

namespace CepGeo.Tests.Viewer;

/// <summary>
/// The Debian Chromium (Playwright's own browser download cannot run here: .ci/run installs the
/// Debian package instead). One browser for the whole test run, shared by every class that takes
/// this fixture: each test opens its own context (its own cookies, storage and viewport), so the
/// classes that run in parallel do not see each other, and the suite starts Chromium and
/// Playwright's driver once instead of once per class. Closed when the test run ends (TestRun).
/// </summary>
public sealed class ChromiumBrowser : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>Screenshots of failures and of the views looked at by hand.</summary>
    public static string ScreenshotDir { get; } = Path.Combine(TestPaths.RepoRoot, "TestResults", "viewer");

    private static readonly Lazy<Task<(IPlaywright Playwright, IBrowser Browser)>> Shared = new(LaunchAsync);

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync() => Browser = (await Shared.Value).Browser;

    public Task DisposeAsync() => Task.CompletedTask;

    private static async Task<(IPlaywright, IBrowser)> LaunchAsync()
    {
        Directory.CreateDirectory(ScreenshotDir);
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run"],
        });
        TestRun.AtEnd(() =>
        {
            browser.CloseAsync().Wait(TimeSpan.FromSeconds(10));
            playwright.Dispose();
        });
        return (playwright, browser);
    }
}
