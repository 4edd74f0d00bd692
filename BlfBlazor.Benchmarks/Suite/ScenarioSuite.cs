using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using BlfBlazor.Benchmarks.Browser;
using BlfBlazor.Benchmarks.Infrastructure;
using BlfBlazor.Benchmarks.Servers;
using Microsoft.Playwright;

namespace BlfBlazor.Benchmarks.Suite;

/// <summary>
/// The scenarios, in one run: the simulator, the app and Chromium each in their own process on
/// loopback, and the direct page (served by this process) as the baseline. See README, "Benchmark".
/// </summary>
internal sealed class ScenarioSuite(SuiteSettings settings, Repository repository)
{
    private static readonly TimeSpan s_openTimeout = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan s_drain = TimeSpan.FromSeconds(2);

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _seed = 1;

    public async Task<SuiteResults> RunAsync(CancellationToken ct)
    {
        var started = DateTimeOffset.UtcNow;
        var machine = MachineInfo.Read();
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

        await using var directHost = await DirectPageHost.StartAsync(SimulatorProcess.App, secret, ct);
        await using var browser = await ViewerBrowser.LaunchAsync(repository, settings.ReducedMotion);
        Log($"Chromium {browser.Version}; direct page on {directHost.BaseUrl}");

        // Playwright's waits do not take a token: closing the browser ends them at once.
        using var abort = ct.Register(browser.Abort);

        var boardTimes = new List<BoardTimes>();
        var appRuns = new List<ViewerRun>();
        var directRuns = new List<ViewerRun>();
        var bursts = new List<BurstResult>();
        ResourceUse idle;
        IdleBrowser idleBrowser;

        // N users: latency, connections, CPU and memory, the storm. Every V gets a freshly started app,
        // so no run inherits another's circuits, heap or time-in-state tickers.
        using (var simulator = await SimulatorProcess.StartAsync(repository, settings.Users, secret, ct))
        {
            var n = settings.Users;
            var directUrl = directHost.PageUrl(simulator.WebSocketUrl);
            using (var app = await AppProcess.StartAsync(repository, simulator, ct))
            {
                Log($"N = {n}: simulator and app are live");
                boardTimes.Add(await BoardTimesAsync(browser, n, app.BaseUrl, directUrl, app, ct));
                idleBrowser = await IdleBrowserAsync(browser, n, app.BaseUrl, directUrl, app, ct);
            }

            using (var app = await AppProcess.StartAsync(repository, simulator, ct))
            {
                Log("V = 0: CPU and memory of the app with no board open");
                var before = await SettledMemoryAsync(app, ct);
                await simulator.DriveAsync(settings.WarmupUpdates, settings.Rate, _seed++, ct);
                var (_, idleApp, _) = await MeasuredWindowAsync(simulator, app, before, ct);
                idle = idleApp!;
            }

            foreach (var v in settings.Viewers)
            {
                var before = await simulator.StatsAsync(ct);
                using var app = await AppProcess.StartAsync(repository, simulator, ct);
                var appConnection = Difference(before, await simulator.StatsAsync(ct));
                appRuns.Add(await TryViewerRunAsync(browser, Side.App, v, app.BaseUrl, simulator, app, appConnection, bursts, ct));
                directRuns.Add(await TryViewerRunAsync(browser, Side.Direct, v, directUrl, simulator, app, appConnection, bursts, ct));
            }
        }

        // The large N: complete-board time and the resync of the whole list under open boards.
        if (!settings.Large)
        {
            return new SuiteResults(settings, machine, browser.Version, started, _clock.Elapsed, boardTimes, idle, idleBrowser, appRuns, directRuns, bursts);
        }

        using (var simulator = await SimulatorProcess.StartAsync(repository, settings.LargeUsers, secret, ct))
        using (var app = await AppProcess.StartAsync(repository, simulator, ct))
        {
            Log($"N = {settings.LargeUsers}: simulator and app are live");
            boardTimes.Add(await BoardTimesAsync(browser, settings.LargeUsers, app.BaseUrl, directHost.PageUrl(simulator.WebSocketUrl), app, ct));
            bursts.Add(await ResyncBurstAsync(browser, simulator, app, ct));
        }

        return new SuiteResults(settings, machine, browser.Version, started, _clock.Elapsed, boardTimes, idle, idleBrowser, appRuns, directRuns, bursts);
    }

    /// <summary>Page loads until the board is complete, after one warm-up load per side.</summary>
    private async Task<BoardTimes> BoardTimesAsync(ViewerBrowser browser, int n, Uri appUrl, Uri directUrl, AppProcess app, CancellationToken ct)
    {
        Log($"N = {n}: complete-board time, {settings.BoardRepetitions} loads per side");
        var appTimes = new List<double>();
        var appInteractive = new List<double>();
        var directTimes = new List<double>();
        var appAnatomy = new List<PageAnatomy>();
        var directAnatomy = new List<PageAnatomy>();
        for (var load = 0; load <= settings.BoardRepetitions; load++)
        {
            var (appTiming, appLoad) = await LoadOnceAsync(browser, appUrl, Side.App, n);
            var (directTiming, directLoad) = await LoadOnceAsync(browser, directUrl, Side.Direct, n);
            if (load == 0)
            {
                continue; // warm-up: JIT, connection pools, Chromium's caches
            }

            appTimes.Add(appTiming.Complete ?? double.NaN);
            appInteractive.Add(appTiming.Interactive ?? double.NaN);
            directTimes.Add(directTiming.Complete ?? double.NaN);
            appAnatomy.Add(appLoad);
            directAnatomy.Add(directLoad);
        }

        await WaitBoardsClosedAsync(app, ct);
        var times = new BoardTimes(n, appTimes, appInteractive, directTimes, appAnatomy, directAnatomy);
        Log($"  app {times.AppMedian:0} ms (interactive {times.AppInteractiveMedian:0} ms), direct {times.DirectMedian:0} ms");
        return times;
    }

    /// <summary>
    /// How busy one board keeps the browser while nothing changes: the app with its animations (ringing
    /// tiles pulse) and with prefers-reduced-motion, the direct page (which has none).
    /// </summary>
    private static async Task<IdleBrowser> IdleBrowserAsync(ViewerBrowser browser, int n, Uri appUrl, Uri directUrl, AppProcess app, CancellationToken ct)
    {
        Log("One idle board: how busy it keeps the browser's main thread");
        var appAnimated = await IdleBusyAsync(browser, appUrl, Side.App, n, reducedMotion: false, ct);
        var appReduced = await IdleBusyAsync(browser, appUrl, Side.App, n, reducedMotion: true, ct);
        var direct = await IdleBusyAsync(browser, directUrl, Side.Direct, n, reducedMotion: false, ct);
        await WaitBoardsClosedAsync(app, ct);
        Log($"  app {appAnimated:P0} (reduced motion {appReduced:P0}), direct {direct:P0}");
        return new IdleBrowser(appAnimated, appReduced, direct);
    }

    private static async Task<double> IdleBusyAsync(ViewerBrowser browser, Uri url, Side side, int n, bool reducedMotion, CancellationToken ct)
    {
        var viewer = await browser.OpenAsync(url, side, n, interactive: true, s_openTimeout, reducedMotion);
        await using (viewer)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
            var before = await viewer.MainThreadSecondsAsync();
            var start = Stopwatch.GetTimestamp();
            await Task.Delay(TimeSpan.FromSeconds(5), ct);
            return (await viewer.MainThreadSecondsAsync() - before) / Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
    }

    private static async Task<(BoardTiming Timing, PageAnatomy Anatomy)> LoadOnceAsync(ViewerBrowser browser, Uri url, Side side, int n)
    {
        var viewer = await browser.OpenAsync(url, side, n, interactive: true, s_openTimeout);
        await using (viewer)
        {
            return (await viewer.TimingAsync(), await viewer.AnatomyAsync());
        }
    }

    /// <summary>A run that fails (boards that do not open in time, a browser that gives up) is reported, not fatal.</summary>
    private async Task<ViewerRun> TryViewerRunAsync(ViewerBrowser browser, Side side, int v, Uri url, SimulatorProcess simulator, AppProcess app,
        SimulatorStats appConnection, List<BurstResult> bursts, CancellationToken ct)
    {
        try
        {
            return await ViewerRunAsync(browser, side, v, url, simulator, app, appConnection, bursts, ct);
        }
        catch (Exception ex) when (ex is TimeoutException or PlaywrightException && !ct.IsCancellationRequested)
        {
            var problem = ex.Message.Split('\n')[0];
            Log($"  failed: {problem}");
            return ViewerRun.Failed(v, problem);
        }
    }

    /// <summary>
    /// V viewers of one side: the connections and logins they cost the PBX, then a warm-up, then a
    /// measured window of updates at the set rate (latency, CPU, renders), then memory. The app's
    /// connections are its own (<paramref name="appConnection"/>, counted before any direct page
    /// connected) plus any it made while its viewers were open; the direct page's are those its
    /// viewers made.
    /// </summary>
    private async Task<ViewerRun> ViewerRunAsync(ViewerBrowser browser, Side side, int v, Uri url, SimulatorProcess simulator, AppProcess app,
        SimulatorStats appConnection, List<BurstResult> bursts, CancellationToken ct)
    {
        Log($"{side} V = {v}: opening the boards");
        var before = await simulator.StatsAsync(ct);
        var viewers = await browser.OpenManyAsync(v, url, side, settings.Users, s_openTimeout);
        try
        {
            var memoryBefore = side == Side.App ? await SettledMemoryAsync(app, ct) : null;
            await simulator.DriveAsync(settings.WarmupUpdates, settings.Rate, _seed++, ct);
            await Task.Delay(s_drain, ct);
            await Task.WhenAll(viewers.Select(viewer => viewer.StartRecordingAsync()));
            var (log, appUse, simulatorUse, renders, browserBusy, browserMsPerChange) = await MeasuredWindowCoreAsync(simulator, app, settle: side == Side.App, memoryBefore, ct, viewers);
            var pages = await Task.WhenAll(viewers.Select(viewer => viewer.StopRecordingAsync()));
            var latency = LatencyResult.Match(log, pages);
            Log($"  latency p50 {latency.P50:0.0} ms, p95 {latency.P95:0.0} ms, p99 {latency.P99:0.0} ms; {latency.Unmatched} unmatched of {latency.Updates * v}"
                + (side == Side.App ? $"; app {appUse!.CpuSecondsPer1000Updates:0.000} CPU s/1000 updates, {appUse.WorkingSetBytes / 1048576.0:0.0} MB" : ""));

            var after = await simulator.StatsAsync(ct);
            var (connections, logins) = (after.TotalConnections - before.TotalConnections, after.SuccessfulLogins - before.SuccessfulLogins);
            if (side == Side.App)
            {
                (connections, logins) = (connections + appConnection.TotalConnections, logins + appConnection.SuccessfulLogins);
            }

            if (side == Side.App && v == settings.BurstViewers)
            {
                bursts.Add(await StormAsync(viewers, simulator, app, ct));
            }

            return new ViewerRun(v, latency, connections, logins,
                side == Side.App ? appUse : null, simulatorUse, side == Side.App ? renders : null, browserBusy, browserMsPerChange);
        }
        finally
        {
            await ViewerBrowser.CloseAllAsync(viewers);
            await WaitBoardsClosedAsync(app, ct);
        }
    }

    private async Task<(IReadOnlyList<SentUpdate> Log, ResourceUse? App, RenderCounts Renders)> MeasuredWindowAsync(SimulatorProcess simulator, AppProcess app, Memory? memoryBefore, CancellationToken ct)
    {
        var (log, appUse, _, renders, _, _) = await MeasuredWindowCoreAsync(simulator, app, settle: true, memoryBefore, ct);
        Log($"  app {appUse!.CpuSecondsPer1000Updates:0.000} CPU s/1000 updates, {appUse.WorkingSetBytes / 1048576.0:0.0} MB");
        return (log, appUse, renders);
    }

    /// <summary>
    /// <see cref="SuiteSettings.MeasuredUpdates"/> updates at the set rate; CPU of both processes, the
    /// app's counters and how busy the first viewer's main thread was (share of the time, and ms per
    /// change sent), over the window until the
    /// <paramref name="viewers"/> have caught up; with <paramref name="settle"/>, the app's working set after it.
    /// </summary>
    private async Task<(IReadOnlyList<SentUpdate> Log, ResourceUse? App, ResourceUse Simulator, RenderCounts Renders, double BrowserBusy, double BrowserMsPerChange)> MeasuredWindowCoreAsync(
        SimulatorProcess simulator, AppProcess app, bool settle, Memory? memoryBefore, CancellationToken ct, IReadOnlyList<Viewer>? viewers = null)
    {
        viewers ??= [];
        var counters = await app.CountersAsync(ct);
        var appBefore = app.Sample();
        var simulatorBefore = simulator.Sample();
        var busyBefore = viewers.Count > 0 ? await viewers[0].MainThreadSecondsAsync() : 0;
        var start = Stopwatch.GetTimestamp();
        var log = await simulator.DriveAsync(settings.MeasuredUpdates, settings.Rate, _seed++, ct);
        await Task.Delay(s_drain, ct);
        await WaitCaughtUpAsync(viewers, ct);
        var busySeconds = viewers.Count > 0 ? await viewers[0].MainThreadSecondsAsync() - busyBefore : double.NaN;
        var browserBusy = busySeconds / Stopwatch.GetElapsedTime(start).TotalSeconds;
        var browserMsPerChange = busySeconds * 1000 / Math.Max(1, log.Count);
        var appAfter = app.Sample();
        var simulatorAfter = simulator.Sample();
        var renders = Difference(counters, await app.CountersAsync(ct));

        var perThousand = 1000.0 / Math.Max(1, log.Count);
        var appUse = settle
            ? new ResourceUse((appAfter.Cpu - appBefore.Cpu).TotalSeconds * perThousand, await SettledWorkingSetAsync(app, ct), memoryBefore)
            : null;
        var simulatorUse = new ResourceUse((simulatorAfter.Cpu - simulatorBefore.Cpu).TotalSeconds * perThousand, simulatorAfter.WorkingSetBytes);
        return (log, appUse, simulatorUse, renders, browserBusy, browserMsPerChange);
    }

    /// <summary>
    /// A storm: many updates as fast as the simulator sends them, with boards open. Counts the renders it
    /// caused and checks that every board ends with the simulator's final state.
    /// </summary>
    private async Task<BurstResult> StormAsync(IReadOnlyList<Viewer> viewers, SimulatorProcess simulator, AppProcess app, CancellationToken ct)
    {
        Log($"Storm: {settings.StormUpdates} updates at {settings.StormRate:0}/s with {viewers.Count} boards open");
        var before = await app.CountersAsync(ct);
        var start = Stopwatch.GetTimestamp();
        var log = await simulator.DriveAsync(settings.StormUpdates, settings.StormRate, _seed++, ct);
        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var update in log)
        {
            expected[update.Guid] = update.State;
        }

        // Done when every board shows the PBX's final state (or after a minute, counting what still differs).
        var (mismatches, settledAfter) = await Wait.SettledAsync(start, TimeSpan.FromMinutes(1), async () =>
        {
            var differing = 0;
            foreach (var viewer in viewers)
            {
                var shown = await viewer.StatesAsync();
                differing += expected.Count(e => !shown.TryGetValue(e.Key, out var state) || state != e.Value);
            }

            return differing;
        }, ct);

        await WaitRendersSettledAsync(app, ct);
        var renders = Difference(before, await app.CountersAsync(ct));

        var result = new BurstResult("storm", settings.Users, viewers.Count, log.Count, expected.Count, renders, mismatches, settledAfter);
        Log($"  {renders.BoardRenders / (double)viewers.Count:0} board renders and {renders.TileRenders / (double)viewers.Count:0} tile renders per board; {mismatches} tiles differ from the PBX");
        return result;
    }

    /// <summary>
    /// The resync of a whole large list with boards open: the simulator drops the app's connection, the
    /// app reconnects and receives all users again (rate-limited), then goes live.
    /// </summary>
    private async Task<BurstResult> ResyncBurstAsync(ViewerBrowser browser, SimulatorProcess simulator, AppProcess app, CancellationToken ct)
    {
        var n = settings.LargeUsers;
        Log($"Resync: {n} users again with {settings.BurstViewers} boards open");
        var viewers = await browser.OpenManyAsync(settings.BurstViewers, app.BaseUrl, Side.App, n, s_openTimeout);
        try
        {
            var before = await app.CountersAsync(ct);
            var start = Stopwatch.GetTimestamp();
            await simulator.DropConnectionsAsync(ct);
            await Wait.UntilAsync("the app to notice the dropped connection", TimeSpan.FromSeconds(10), async () => await app.HealthAsync(ct) != HttpStatusCode.OK, ct);
            await app.WaitLiveAsync(TimeSpan.FromSeconds(60), ct);

            // Done when every board is live again with all N tiles, none marked stale (or after 90 s).
            var (notLive, settledAfter) = await Wait.SettledAsync(start, TimeSpan.FromSeconds(90), async () =>
                (await Task.WhenAll(viewers.Select(viewer => viewer.IsCompleteAndLiveAsync(n)))).Count(isLive => !isLive), ct);

            await WaitRendersSettledAsync(app, ct);
            var renders = Difference(before, await app.CountersAsync(ct));

            var result = new BurstResult("resync", n, viewers.Count, (int)renders.FramesReceived, n, renders, notLive, settledAfter);
            Log($"  {renders.FramesReceived} frames; {renders.BoardRenders / (double)viewers.Count:0} board renders and {renders.TileRenders / (double)viewers.Count:0} tile renders per board; {notLive} boards not live with {n} tiles");
            return result;
        }
        finally
        {
            await ViewerBrowser.CloseAllAsync(viewers);
            await WaitBoardsClosedAsync(app, ct);
        }
    }

    /// <summary>
    /// Waits (at most 30 s) until no viewer has recorded anything new for a second: a saturated browser
    /// may still be working through the window, and what it shows late still counts, late.
    /// </summary>
    private static async Task WaitCaughtUpAsync(IReadOnlyList<Viewer> viewers, CancellationToken ct)
    {
        var deadline = Stopwatch.GetTimestamp() + 30 * Stopwatch.Frequency;
        var last = -1;
        while (viewers.Count > 0 && Stopwatch.GetTimestamp() < deadline)
        {
            var counts = await Task.WhenAll(viewers.Select(viewer => viewer.RecordCountAsync()));
            var total = counts.Sum();
            if (total == last)
            {
                return;
            }

            last = total;
            await Task.Delay(1000, ct);
        }
    }

    /// <summary>Waits until the render counters have not moved for a second; returns how long they have been still.</summary>
    private static async Task<TimeSpan> WaitRendersSettledAsync(AppProcess app, CancellationToken ct)
    {
        var quiet = TimeSpan.FromSeconds(1);
        var last = await app.CountersAsync(ct);
        var lastChange = Stopwatch.GetTimestamp();
        var deadline = Stopwatch.GetTimestamp() + (long)(30 * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(100, ct);
            var now = await app.CountersAsync(ct);
            if (Get(now, AppProcess.BoardRenders) != Get(last, AppProcess.BoardRenders) || Get(now, AppProcess.TileRenders) != Get(last, AppProcess.TileRenders))
            {
                last = now;
                lastChange = Stopwatch.GetTimestamp();
            }
            else if (Stopwatch.GetElapsedTime(lastChange) >= quiet)
            {
                return Stopwatch.GetElapsedTime(lastChange);
            }
        }

        throw new TimeoutException("The boards kept rendering for 30 s.");
    }

    /// <summary>Waits until the app has no board open (a closed page ends its circuit at once).</summary>
    private static async Task WaitBoardsClosedAsync(AppProcess app, CancellationToken ct)
    {
        try
        {
            await Wait.UntilAsync("the app's boards to close", TimeSpan.FromSeconds(15),
                async () => Get(await app.CountersAsync(ct), AppProcess.BoardsOpen) == 0, ct);
        }
        catch (TimeoutException)
        {
            Log($"  warning: {Get(await app.CountersAsync(ct), AppProcess.BoardsOpen)} boards still open 15 s after their pages were left");
        }
    }

    /// <summary>The settled working set, then the managed heap after a full GC (which the GC itself may shrink the working set by).</summary>
    private static async Task<Memory> SettledMemoryAsync(AppProcess app, CancellationToken ct)
    {
        var workingSet = await SettledWorkingSetAsync(app, ct);
        var heap = await ManagedHeap.AfterFullGcAsync(app.ProcessId);
        return new Memory(workingSet, heap, await SettledWorkingSetAsync(app, ct));
    }

    /// <summary>The app's working set once it has settled: the median of several samples after a pause.</summary>
    private static async Task<long> SettledWorkingSetAsync(AppProcess app, CancellationToken ct)
    {
        await Task.Delay(TimeSpan.FromSeconds(2), ct);
        var samples = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            samples.Add(app.Sample().WorkingSetBytes);
            await Task.Delay(400, ct);
        }

        return (long)Percentiles.Median(samples);
    }

    private static SimulatorStats Difference(SimulatorStats before, SimulatorStats after) => new(
        after.Users, after.OpenConnections - before.OpenConnections, after.TotalConnections - before.TotalConnections,
        after.SuccessfulLogins - before.SuccessfulLogins, after.FailedLogins - before.FailedLogins);

    private static RenderCounts Difference(IReadOnlyDictionary<string, long> before, IReadOnlyDictionary<string, long> after) => new(
        Get(after, AppProcess.BoardRenders) - Get(before, AppProcess.BoardRenders),
        Get(after, AppProcess.TileRenders) - Get(before, AppProcess.TileRenders),
        Get(after, AppProcess.FramesReceived) - Get(before, AppProcess.FramesReceived));

    private static long Get(IReadOnlyDictionary<string, long> counters, string name) => counters.GetValueOrDefault(name);

    private static void Log(string message) =>
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{DateTime.Now:HH:mm:ss}] {message}"));
}
