using System.Text.Json;
using Microsoft.Playwright;

namespace BlfBlazor.Benchmarks.Browser;

/// <summary>A data-state the page showed: which tile, which state, when (Unix ms, the page's clock), and the call peer it named.</summary>
internal readonly record struct Observation(string Guid, string State, double At, string? Peer = null);

/// <summary>How long the board took: ms from navigation start (null when it never got there).</summary>
internal readonly record struct BoardTiming(double? Complete, double? Interactive);

/// <summary>
/// Where a page load's browser time and bytes went, read once the board is there: the main thread's
/// seconds in all (TaskDuration), in script, in style recalculation and in layout (Chromium's
/// Performance metrics since the page opened); when the document's first and last byte arrived (ms
/// from navigation start); the document's bytes on the wire and decoded; the
/// tiles' markup and elements (each tile with its own list item, where it has one); blazor.web.js on the wire.
/// </summary>
internal readonly record struct PageAnatomy(
    double TaskSeconds, double ScriptSeconds, double StyleSeconds, double LayoutSeconds,
    double FirstByteMs, double LastByteMs, double DocumentWireBytes, double DocumentBytes, double Tiles, double TileMarkupChars, double TileElements, double BlazorScriptWireBytes);

/// <summary>One viewer: a browser context with one page and the observer script's findings.</summary>
/// <param name="devTools">A DevTools session on the page with Performance enabled, if one was opened before the page loaded.</param>
internal sealed class Viewer(IBrowserContext context, IPage page, ICDPSession? devTools = null) : IAsyncDisposable
{
    private ICDPSession? _devTools = devTools;

    /// <summary>Seconds the page's main thread has been busy so far (Chromium's TaskDuration metric).</summary>
    public async Task<double> MainThreadSecondsAsync() => (await MetricsAsync()).GetValueOrDefault("TaskDuration", double.NaN);

    /// <summary>Chromium's Performance metrics of the page, by name (durations in seconds).</summary>
    private async Task<Dictionary<string, double>> MetricsAsync()
    {
        if (_devTools is null)
        {
            _devTools = await context.NewCDPSessionAsync(page);
            await _devTools.SendAsync("Performance.enable");
        }

        var metrics = await _devTools.SendAsync("Performance.getMetrics");
        return metrics!.Value.GetProperty("metrics").EnumerateArray()
            .ToDictionary(metric => metric.GetProperty("name").GetString() ?? "", metric => metric.GetProperty("value").GetDouble(), StringComparer.Ordinal);
    }

    public async Task<BoardTiming> TimingAsync()
    {
        var timing = await page.EvaluateAsync<JsonElement>("() => ({ complete: window.__blf.complete, interactive: window.__blf.interactive })");
        return new BoardTiming(Number(timing, "complete"), Number(timing, "interactive"));
    }

    public async Task<PageAnatomy> AnatomyAsync()
    {
        var metrics = await MetricsAsync();
        var dom = await page.EvaluateAsync<JsonElement>(
            """
            () => {
                const nav = performance.getEntriesByType('navigation')[0];
                const blazor = performance.getEntriesByType('resource').find(r => r.name.includes('blazor.web.js'));
                let chars = 0, elements = 0;
                const tiles = document.querySelectorAll('[data-testid="blf-tile"]');
                for (const tile of tiles) {
                    const item = tile.parentElement.tagName === 'LI' && tile.parentElement.childElementCount === 1 ? tile.parentElement : tile;
                    chars += item.outerHTML.length;
                    elements += 1 + item.getElementsByTagName('*').length;
                }
                return { firstByte: nav ? nav.responseStart : 0, lastByte: nav ? nav.responseEnd : 0, wire: nav ? nav.transferSize : 0, decoded: nav ? nav.decodedBodySize : 0, tiles: tiles.length, chars, elements,
                    blazor: blazor ? blazor.transferSize : 0 };
            }
            """);
        double Metric(string name) => metrics.GetValueOrDefault(name, double.NaN);
        return new PageAnatomy(Metric("TaskDuration"), Metric("ScriptDuration"), Metric("RecalcStyleDuration"), Metric("LayoutDuration"),
            dom.GetProperty("firstByte").GetDouble(), dom.GetProperty("lastByte").GetDouble(), dom.GetProperty("wire").GetDouble(), dom.GetProperty("decoded").GetDouble(), dom.GetProperty("tiles").GetDouble(),
            dom.GetProperty("chars").GetDouble(), dom.GetProperty("elements").GetDouble(), dom.GetProperty("blazor").GetDouble());
    }

    public Task StartRecordingAsync() =>
        page.EvaluateAsync("() => { window.__blf.records = []; window.__blf.recording = true; }");

    public async Task<IReadOnlyList<Observation>> StopRecordingAsync()
    {
        var records = await page.EvaluateAsync<JsonElement>(
            "() => { const s = window.__blf; s.recording = false; const r = s.records; s.records = []; return r; }");
        var observations = new List<Observation>(records.GetArrayLength());
        foreach (var record in records.EnumerateArray())
        {
            var peer = record.GetArrayLength() > 3 && record[3].ValueKind == JsonValueKind.String ? record[3].GetString() : null;
            observations.Add(new Observation(record[0].GetString() ?? "", record[1].GetString() ?? "", record[2].GetDouble(), peer));
        }

        return observations;
    }

    /// <summary>Every tile's data-state now, by guid.</summary>
    public async Task<IReadOnlyDictionary<string, string>> StatesAsync() =>
        await page.EvaluateAsync<Dictionary<string, string>>(
            """() => Object.fromEntries([...document.querySelectorAll('[data-testid="blf-tile"]')].map(t => [t.getAttribute('data-guid'), t.getAttribute('data-state')]))""");

    /// <summary>True when the app's board is live with <paramref name="tiles"/> tiles, none of them marked stale.</summary>
    public Task<bool> IsCompleteAndLiveAsync(int tiles) =>
        page.EvaluateAsync<bool>(
            """
            n => document.querySelector('[data-testid="blf-board"]')?.getAttribute('data-connection') === 'live'
                && document.querySelectorAll('[data-testid="blf-tile"]').length === n
                && document.querySelector('[data-testid="blf-tile"][data-stale]') === null
            """, tiles);

    /// <summary>How many observations the page has recorded so far.</summary>
    public Task<int> RecordCountAsync() => page.EvaluateAsync<int>("() => window.__blf.records.length");

    /// <summary>Leaves the page first (so the app's circuit is told and ends at once), then closes the context.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await page.GotoAsync("about:blank", new PageGotoOptions { Timeout = 10_000 });
        }
        catch (Exception ex) when (ex is PlaywrightException or TimeoutException)
        {
            // A saturated page may not get there in time: it is closed anyway.
        }

        await context.CloseAsync();
    }

    private static double? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;
}
