using Microsoft.Playwright;

namespace BlfBlazor.Tests.Infrastructure;

/// <summary>
/// One headless Debian Chromium per test class, driven by Playwright. The test command installs
/// Chromium; Playwright's own browser download is neither possible nor needed here.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private static readonly string[] s_arguments =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private readonly List<IBrowserContext> _contexts = [];
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"{ExecutablePath} is missing: run the README's test command (./test.sh), which installs Debian's chromium.");
        }

        Assertions.SetDefaultExpectTimeout((float)TestTimeouts.BrowserWait.TotalMilliseconds);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = s_arguments,
        });
    }

    /// <summary>A fresh page in its own context (no shared cookies or storage between tests).</summary>
    /// <param name="trustTestCertificates">Accept the self-signed certificate of a test's TLS balancer.</param>
    public async Task<IPage> NewPageAsync(ColorScheme colorScheme = ColorScheme.Light, int width = 1280, int height = 800, bool trustTestCertificates = false)
    {
        var context = await NewContextAsync(new BrowserNewContextOptions
        {
            ColorScheme = colorScheme,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            IgnoreHTTPSErrors = trustTestCertificates,
        });
        return await context.NewPageAsync();
    }

    public async Task<IBrowserContext> NewContextAsync(BrowserNewContextOptions? options = null)
    {
        var context = await Browser.NewContextAsync(options);
        lock (_contexts)
        {
            _contexts.Add(context);
        }

        return context;
    }

    /// <summary>
    /// Closes every page a test opened, so its circuits end before the app stops (an app stopping
    /// under open circuits waits out its shutdown timeout).
    /// </summary>
    public async Task CloseContextsAsync()
    {
        IBrowserContext[] contexts;
        lock (_contexts)
        {
            contexts = [.. _contexts];
            _contexts.Clear();
        }

        foreach (var context in contexts)
        {
            await context.CloseAsync();
        }
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
