using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using BlfBlazor.Benchmarks.Browser;
using BlfBlazor.Benchmarks.Infrastructure;
using BlfBlazor.Benchmarks.Servers;

namespace BlfBlazor.Benchmarks.Suite;

/// <summary>
/// The scenarios, in one run: the simulator, the app and Chromium each in their own process on
/// loopback, and the direct page (served by this process) as the baseline. See README, "Benchmark".
/// </summary>
internal sealed class ScenarioSuite(SuiteSettings settings, Repository repository)
{
    private static readonly TimeSpan s_openTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan s_drain = TimeSpan.FromSeconds(2);

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _seed = 1;

    public async Task<SuiteResults> RunAsync(CancellationToken ct)
    {
        var started = DateTimeOffset.UtcNow;
        var machine = MachineInfo.Read();
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

        await using var directHost = await DirectPageHost.StartAsync(SimulatorProcess.App, secret, ct);
        await using var browser = await ViewerBrowser.LaunchAsync();
        Log($"Chromium {browser.Version}; direct page on {directHost.BaseUrl}");

        var boardTimes = new List<BoardTimes>();
        var appRuns = new List<ViewerRun>();
        var directRuns = new List<ViewerRun>();
        var bursts = new List<BurstResult>();
        ResourceUse idle;

        // N users: latency, connections, CPU and memory, the storm.
        using (var simulator = await SimulatorProcess.StartAsync(repository, settings.Users, secret, ct))
        using (var app = await AppProcess.StartAsync(repository, simulator, ct))
        {
            var n = settings.Users;
            var appUrl = app.BaseUrl;
            var directUrl = directHost.PageUrl(simulator.WebSocketUrl);
            Log($"N = {n}: simulator and app are live");

            boardTimes.Add(await BoardTimesAsync(browser, n, appUrl, directUrl, app, ct));

            Log("V = 0: CPU and memory of the app with no board open");
            await simulator.DriveAsync(settings.WarmupUpdates, settings.Rate, _seed++, ct);
            var (_, idleApp, _) = await MeasuredWindowAsync(simulator, app, ct);
            idle = idleApp!;

            foreach (var v in settings.Viewers)
            {
                appRuns.Add(await ViewerRunAsync(browser, Side.App, v, appUrl, simulator, app, bursts, ct));
                directRuns.Add(await ViewerRunAsync(browser, Side.Direct, v, directUrl, simulator, app, bursts, ct));
            }
        }

        // The large N: complete-board time and the resync of the whole list under open boards.
        using (var simulator = await SimulatorProcess.StartAsync(repository, settings.LargeUsers, secret, ct))
        using (var app = await AppProcess.StartAsync(repository, simulator, ct))
        {
            Log($"N = {settings.LargeUsers}: simulator and app are live");
            boardTimes.Add(await BoardTimesAsync(browser, settings.LargeUsers, app.BaseUrl, directHost.PageUrl(simulator.WebSocketUrl), app, ct));
            bursts.Add(await ResyncBurstAsync(browser, simulator, app, ct));
        }

        return new SuiteResults(settings, machine, browser.Version, started, _clock.Elapsed, boardTimes, idle, appRuns, directRuns, bursts);
    }

    /// <summary>Page loads until the board is complete, after one warm-up load per side.</summary>
    private async Task<BoardTimes> BoardTimesAsync(ViewerBrowser browser, int n, Uri appUrl, Uri directUrl, AppProcess app, CancellationToken ct)
    {
        Log($"N = {n}: complete-board time, {settings.BoardRepetitions} loads per side");
        var appTimes = new List<double>();
        var appInteractive = new List<double>();
        var directTimes = new List<double>();
        for (var load = 0; load <= settings.BoardRepetitions; load++)
        {
            var appTiming = await LoadOnceAsync(browser, appUrl, Side.App, n);
            var directTiming = await LoadOnceAsync(browser, directUrl, Side.Direct, n);
            if (load == 0)
            {
                continue; // warm-up: JIT, connection pools, Chromium's caches
            }

            appTimes.Add(appTiming.Complete ?? double.NaN);
            appInteractive.Add(appTiming.Interactive ?? double.NaN);
            directTimes.Add(directTiming.Complete ?? double.NaN);
        }

        await WaitBoardsClosedAsync(app, ct);
        var times = new BoardTimes(n, appTimes, appInteractive, directTimes);
        Log($"  app {times.AppMedian:0} ms (interactive {times.AppInteractiveMedian:0} ms), direct {times.DirectMedian:0} ms");
        return times;
    }

    private static async Task<BoardTiming> LoadOnceAsync(ViewerBrowser browser, Uri url, Side side, int n)
    {
        var viewer = await browser.OpenAsync(url, side, n, interactive: true, s_openTimeout);
        await using (viewer)
        {
            return await viewer.TimingAsync();
        }
    }

    /// <summary>
    /// V viewers of one side: the connections and logins they cost the PBX, then a warm-up, then a
    /// measured window of updates at the set rate (latency, CPU, renders), then memory.
    /// </summary>
    private async Task<ViewerRun> ViewerRunAsync(ViewerBrowser browser, Side side, int v, Uri url, SimulatorProcess simulator, AppProcess app, List<BurstResult> bursts, CancellationToken ct)
    {
        Log($"{side} V = {v}: opening the boards");
        var before = await simulator.StatsAsync(ct);
        var viewers = await browser.OpenManyAsync(v, url, side, settings.Users, s_openTimeout);
        try
        {
            var after = await simulator.StatsAsync(ct);
            var clock = await ClockCheckAsync(viewers);

            await simulator.DriveAsync(settings.WarmupUpdates, settings.Rate, _seed++, ct);
            await Task.Delay(s_drain, ct);
            await Task.WhenAll(viewers.Select(viewer => viewer.StartRecordingAsync()));
            var (log, appUse, simulatorUse, renders) = await MeasuredWindowCoreAsync(simulator, app, settle: side == Side.App, ct);
            var pages = await Task.WhenAll(viewers.Select(viewer => viewer.StopRecordingAsync()));
            var latency = LatencyResult.Match(log, pages);
            Log($"  latency p50 {latency.P50:0.0} ms, p95 {latency.P95:0.0} ms, p99 {latency.P99:0.0} ms; {latency.Unmatched} unmatched of {latency.Updates * v}"
                + (side == Side.App ? $"; app {appUse!.CpuSecondsPer1000Updates:0.000} CPU s/1000 updates, {appUse.WorkingSetBytes / 1048576.0:0.0} MB" : ""));

            if (side == Side.App && v == settings.BurstViewers)
            {
                bursts.Add(await StormAsync(viewers, simulator, app, ct));
            }

            return new ViewerRun(v, latency,
                after.TotalConnections - before.TotalConnections, after.SuccessfulLogins - before.SuccessfulLogins,
                after.TotalConnections, after.SuccessfulLogins,
                side == Side.App ? appUse : null, simulatorUse, side == Side.App ? renders : null, clock);
        }
        finally
        {
            await ViewerBrowser.CloseAllAsync(viewers);
            await WaitBoardsClosedAsync(app, ct);
        }
    }

    private async Task<(IReadOnlyList<SentUpdate> Log, ResourceUse? App, RenderCounts Renders)> MeasuredWindowAsync(SimulatorProcess simulator, AppProcess app, CancellationToken ct)
    {
        var (log, appUse, _, renders) = await MeasuredWindowCoreAsync(simulator, app, settle: true, ct);
        Log($"  app {appUse!.CpuSecondsPer1000Updates:0.000} CPU s/1000 updates, {appUse.WorkingSetBytes / 1048576.0:0.0} MB");
        return (log, appUse, renders);
    }

    /// <summary>
    /// <see cref="SuiteSettings.MeasuredUpdates"/> updates at the set rate; CPU of both processes and
    /// the app's counters over the window; with <paramref name="settle"/>, the app's working set after it.
    /// </summary>
    private async Task<(IReadOnlyList<SentUpdate> Log, ResourceUse? App, ResourceUse Simulator, RenderCounts Renders)> MeasuredWindowCoreAsync(
        SimulatorProcess simulator, AppProcess app, bool settle, CancellationToken ct)
    {
        var counters = await app.CountersAsync(ct);
        var appBefore = app.Sample();
        var simulatorBefore = simulator.Sample();
        var log = await simulator.DriveAsync(settings.MeasuredUpdates, settings.Rate, _seed++, ct);
        await Task.Delay(s_drain, ct);
        var appAfter = app.Sample();
        var simulatorAfter = simulator.Sample();
        var renders = Difference(counters, await app.CountersAsync(ct));

        var perThousand = 1000.0 / Math.Max(1, log.Count);
        var appUse = settle
            ? new ResourceUse((appAfter.Cpu - appBefore.Cpu).TotalSeconds * perThousand, await SettledWorkingSetAsync(app, ct))
            : null;
        var simulatorUse = new ResourceUse((simulatorAfter.Cpu - simulatorBefore.Cpu).TotalSeconds * perThousand, simulatorAfter.WorkingSetBytes);
        return (log, appUse, simulatorUse, renders);
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
        var settled = await WaitRendersSettledAsync(app, ct);
        var settledAfter = Stopwatch.GetElapsedTime(start).TotalMilliseconds - settled.TotalMilliseconds;
        var renders = Difference(before, await app.CountersAsync(ct));

        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var update in log)
        {
            expected[update.Guid] = update.State;
        }

        var mismatches = 0;
        foreach (var viewer in viewers)
        {
            var shown = await viewer.StatesAsync();
            mismatches += expected.Count(e => !shown.TryGetValue(e.Key, out var state) || state != e.Value);
        }

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
            var settled = await WaitRendersSettledAsync(app, ct);
            var settledAfter = Stopwatch.GetElapsedTime(start).TotalMilliseconds - settled.TotalMilliseconds;
            var renders = Difference(before, await app.CountersAsync(ct));

            var notLive = 0;
            foreach (var viewer in viewers)
            {
                var states = await viewer.StatesAsync();
                if (await viewer.ConnectionAsync() != "live" || states.Count != n)
                {
                    notLive++;
                }
            }

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
        catch (TimeoutException ex)
        {
            Log($"  warning: {ex.Message} (circuits of closed pages are still counted)");
        }
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

    private static async Task<ClockCheck> ClockCheckAsync(IReadOnlyList<Viewer> viewers)
    {
        var worst = (Offset: 0.0, RoundTrip: 0.0);
        foreach (var viewer in viewers.Take(5))
        {
            var check = await viewer.ClockOffsetAsync();
            if (Math.Abs(check.Offset) >= Math.Abs(worst.Offset))
            {
                worst = check;
            }
        }

        return new ClockCheck(worst.Offset, worst.RoundTrip);
    }

    private static RenderCounts Difference(IReadOnlyDictionary<string, long> before, IReadOnlyDictionary<string, long> after) => new(
        Get(after, AppProcess.BoardRenders) - Get(before, AppProcess.BoardRenders),
        Get(after, AppProcess.TileRenders) - Get(before, AppProcess.TileRenders),
        Get(after, AppProcess.FramesReceived) - Get(before, AppProcess.FramesReceived));

    private static long Get(IReadOnlyDictionary<string, long> counters, string name) => counters.GetValueOrDefault(name);

    private static void Log(string message) =>
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{DateTime.Now:HH:mm:ss}] {message}"));
}
