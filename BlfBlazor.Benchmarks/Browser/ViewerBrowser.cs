using System.Diagnostics;
using System.Globalization;
using BlfBlazor.Benchmarks.Infrastructure;
using Microsoft.Playwright;

namespace BlfBlazor.Benchmarks.Browser;

/// <summary>Which board a viewer looks at: the app, or the direct page that talks to the PBX itself.</summary>
internal enum Side
{
    App,
    Direct,
}

/// <summary>
/// One headless Debian Chromium (the one the browser tests use), driven by Playwright; every viewer
/// gets its own browser context, like a separate person, with the observer script installed first.
/// </summary>
internal sealed class ViewerBrowser : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private static readonly string[] s_arguments =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        // Many pages at once: none of them may be throttled as a background tab.
        "--disable-renderer-backgrounding", "--disable-background-timer-throttling", "--disable-backgrounding-occluded-windows",
    ];

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly string _observer;
    private readonly bool _reducedMotion;

    private ViewerBrowser(IPlaywright playwright, IBrowser browser, string observer, bool reducedMotion)
    {
        _playwright = playwright;
        _browser = browser;
        _observer = observer;
        _reducedMotion = reducedMotion;
    }

    public string Version => _browser.Version;

    /// <param name="reducedMotion">Whether pages see prefers-reduced-motion: reduce (unless a viewer asks otherwise).</param>
    public static async Task<ViewerBrowser> LaunchAsync(Repository repository, bool reducedMotion)
    {
        if (!File.Exists(ExecutablePath))
        {
            // A fresh machine: the same installer the test command uses.
            using var install = Process.Start(new ProcessStartInfo("bash", [Path.Combine(repository.Root, "scripts", "install-chromium.sh")]))
                ?? throw new InvalidOperationException("Could not start scripts/install-chromium.sh.");
            await install.WaitForExitAsync();
            if (install.ExitCode != 0 || !File.Exists(ExecutablePath))
            {
                throw new InvalidOperationException($"{ExecutablePath} is missing and scripts/install-chromium.sh could not install it (exit code {install.ExitCode}).");
            }
        }

        var observer = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Browser", "observer.js"));
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Args = s_arguments,
            });
            return new ViewerBrowser(playwright, browser, observer, reducedMotion);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens <paramref name="url"/> in a fresh context and waits until the board is complete (for the
    /// app with <paramref name="interactive"/>: also connected to its circuit, so it follows changes).
    /// </summary>
    public async Task<Viewer> OpenAsync(Uri url, Side side, int expectedTiles, bool interactive, TimeSpan timeout, bool? reducedMotion = null)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
            ReducedMotion = (reducedMotion ?? _reducedMotion) ? ReducedMotion.Reduce : ReducedMotion.NoPreference,
        });
        try
        {
            await context.AddInitScriptAsync(_observer
                .Replace("__EXPECTED__", expectedTiles.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("__MODE__", side == Side.App ? "app" : "direct", StringComparison.Ordinal));
            var page = await context.NewPageAsync();

            // Before navigating, so the page's Performance metrics cover its whole load.
            var devTools = await context.NewCDPSessionAsync(page);
            await devTools.SendAsync("Performance.enable");
            var timeoutMs = (float)timeout.TotalMilliseconds;
            await page.GotoAsync(url.ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.Commit, Timeout = timeoutMs });
            var ready = side == Side.App && interactive
                ? "() => window.__blf && window.__blf.interactive !== null"
                : "() => window.__blf && window.__blf.complete !== null";
            await page.WaitForFunctionAsync(ready, null, new PageWaitForFunctionOptions { PollingInterval = 50, Timeout = timeoutMs });
            return new Viewer(context, page, devTools);
        }
        catch
        {
            await context.CloseAsync();
            throw;
        }
    }

    /// <summary>Opens <paramref name="count"/> viewers, a few at a time, all within <paramref name="timeout"/>.</summary>
    public async Task<IReadOnlyList<Viewer>> OpenManyAsync(int count, Uri url, Side side, int expectedTiles, TimeSpan timeout)
    {
        const int AtOnce = 5;
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        var viewers = new List<Viewer>(count);
        try
        {
            for (var opened = 0; opened < count; opened += AtOnce)
            {
                var left = TimeSpan.FromSeconds((deadline - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency);
                if (left <= TimeSpan.Zero)
                {
                    throw new TimeoutException($"Only {viewers.Count} of {count} boards opened within {timeout.TotalMinutes:0} min.");
                }

                var batch = Enumerable.Range(0, Math.Min(AtOnce, count - opened))
                    .Select(_ => OpenAsync(url, side, expectedTiles, interactive: true, left));
                viewers.AddRange(await Task.WhenAll(batch));
            }

            return viewers;
        }
        catch
        {
            await CloseAllAsync(viewers);
            throw;
        }
    }

    public static Task CloseAllAsync(IEnumerable<Viewer> viewers) =>
        Task.WhenAll(viewers.Select(viewer => viewer.DisposeAsync().AsTask()));

    /// <summary>Closes the browser now, from any thread: every pending page operation fails at once.</summary>
    public void Abort() => _ = _browser.CloseAsync();

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
