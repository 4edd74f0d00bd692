using BlfBlazor.Benchmarks.Browser;
using BlfBlazor.Benchmarks.Infrastructure;

namespace BlfBlazor.Benchmarks.Suite;

/// <summary>Navigation start to complete board, per page load (ms), and where each load's browser time and bytes went.</summary>
internal sealed record BoardTimes(int Users, IReadOnlyList<double> App, IReadOnlyList<double> AppInteractive, IReadOnlyList<double> Direct,
    IReadOnlyList<PageAnatomy> AppAnatomy, IReadOnlyList<PageAnatomy> DirectAnatomy)
{
    public double AppMedian => Percentiles.Median(App);

    public double AppInteractiveMedian => Percentiles.Median(AppInteractive);

    public double DirectMedian => Percentiles.Median(Direct);
}

/// <summary>Work counted by the app's /diagnostics/counters over a window.</summary>
internal sealed record RenderCounts(long BoardRenders, long TileRenders, long FramesReceived);

/// <summary>
/// A process's cost over a window of updates, and its settled working set with the boards open before
/// any update (what the boards themselves hold) and after the window (with whatever backlog is left);
/// for the app also its managed heap after a full GC, with the boards open before any update.
/// </summary>
internal sealed record ResourceUse(double CpuSecondsPer1000Updates, long WorkingSetBytes, Memory? BeforeUpdates = null);

/// <summary>
/// Settled working set; the managed heap after a full GC (null if it could not be read); and the
/// settled working set after that GC: what the process holds once its garbage is gone.
/// </summary>
internal sealed record Memory(long WorkingSetBytes, long? LiveHeapBytes, long WorkingSetAfterGcBytes);

/// <summary>One side at one V: latency, what the viewers cost the PBX, and the server's work.</summary>
/// <param name="PbxConnections">WebSocket connections to the PBX for V viewers (app: its own, however many viewers).</param>
/// <param name="PbxLogins">Successful AppLogins for V viewers, counted the same way.</param>
/// <param name="BrowserBusy">Share of the window's wall time the first viewer's main thread was busy.</param>
/// <param name="BrowserMsPerChange">The first viewer's main-thread ms over the window per change sent: what each change costs one page.</param>
/// <param name="Problem">Why the run has no figures (e.g. the boards did not open in time); null when it has.</param>
internal sealed record ViewerRun(
    int Viewers,
    LatencyResult Latency,
    int PbxConnections,
    int PbxLogins,
    ResourceUse? App,
    ResourceUse Simulator,
    RenderCounts? Renders,
    double BrowserBusy,
    double BrowserMsPerChange,
    string? Problem = null)
{
    public static ViewerRun Failed(int viewers, string problem) =>
        new(viewers, LatencyResult.None, 0, 0, null, new ResourceUse(double.NaN, 0), null, double.NaN, double.NaN, problem);
}

/// <summary>How busy one open board keeps its browser's main thread with no updates coming (fraction of wall time).</summary>
internal sealed record IdleBrowser(double AppAnimated, double AppReducedMotion, double DirectAnimated);

/// <summary>A burst (storm of updates, or the resync of a whole list) with boards open.</summary>
internal sealed record BurstResult(string Name, int Users, int Viewers, int Updates, int DistinctUsers, RenderCounts Renders, int Mismatches, double SettledAfterMs);

internal sealed record SuiteResults(
    SuiteSettings Settings,
    MachineInfo Machine,
    string Chromium,
    DateTimeOffset Started,
    TimeSpan Duration,
    IReadOnlyList<BoardTimes> BoardTimes,
    ResourceUse IdleApp,
    IdleBrowser IdleBrowser,
    IReadOnlyList<ViewerRun> AppRuns,
    IReadOnlyList<ViewerRun> DirectRuns,
    IReadOnlyList<BurstResult> Bursts);
