using BlfBlazor.Benchmarks.Infrastructure;

namespace BlfBlazor.Benchmarks.Suite;

/// <summary>Navigation start to complete board, per page load (ms).</summary>
internal sealed record BoardTimes(int Users, IReadOnlyList<double> App, IReadOnlyList<double> AppInteractive, IReadOnlyList<double> Direct)
{
    public double AppMedian => Percentiles.Median(App);

    public double AppInteractiveMedian => Percentiles.Median(AppInteractive);

    public double DirectMedian => Percentiles.Median(Direct);
}

/// <summary>Work counted by the app's /diagnostics/counters over a window.</summary>
internal sealed record RenderCounts(long BoardRenders, long TileRenders, long FramesReceived);

/// <summary>A process's cost over a window of updates and its settled working set after it.</summary>
internal sealed record ResourceUse(double CpuSecondsPer1000Updates, long WorkingSetBytes);

/// <summary>How well the page clocks agree with the benchmark's (ms): the worst offset and its round trip.</summary>
internal sealed record ClockCheck(double WorstOffset, double RoundTrip);

/// <summary>One side at one V: latency, what the viewers cost the PBX, and the server's work.</summary>
internal sealed record ViewerRun(
    int Viewers,
    LatencyResult Latency,
    int ConnectionsForViewers,
    int LoginsForViewers,
    int TotalConnections,
    int TotalLogins,
    ResourceUse? App,
    ResourceUse Simulator,
    RenderCounts? Renders,
    ClockCheck Clock);

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
    IReadOnlyList<ViewerRun> AppRuns,
    IReadOnlyList<ViewerRun> DirectRuns,
    IReadOnlyList<BurstResult> Bursts);
