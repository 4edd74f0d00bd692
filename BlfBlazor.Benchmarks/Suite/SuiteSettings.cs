namespace BlfBlazor.Benchmarks.Suite;

/// <summary>The sizes of one run of the scenario suite.</summary>
/// <param name="Users">N for latency, connections, CPU, memory and the update storm.</param>
/// <param name="LargeUsers">The second N for the complete-board time and the resync burst.</param>
/// <param name="Viewers">The V of the latency runs; memory is read at 0, 1 and the largest.</param>
/// <param name="Rate">Updates per second of the latency and CPU windows.</param>
/// <param name="WarmupUpdates">Updates sent before each measured window, not measured.</param>
/// <param name="MeasuredUpdates">Updates of each measured window.</param>
/// <param name="BoardRepetitions">Page loads per side and N for the complete-board time (after one warm-up load).</param>
/// <param name="StormUpdates">Updates of the storm, sent at <paramref name="StormRate"/>.</param>
/// <param name="BurstViewers">Open boards during the storm and the resync burst.</param>
internal sealed record SuiteSettings(
    bool Quick,
    int Users,
    int LargeUsers,
    IReadOnlyList<int> Viewers,
    double Rate,
    int WarmupUpdates,
    int MeasuredUpdates,
    int BoardRepetitions,
    int StormUpdates,
    double StormRate,
    int BurstViewers)
{
    public static SuiteSettings Full { get; } = new(false, 1000, 5000, [1, 10, 50], 100, 200, 1500, 5, 2000, 20_000, 10);

    /// <summary>A smoke run of a minute or two: small N and V, short windows.</summary>
    public static SuiteSettings Smoke { get; } = new(true, 200, 1000, [1, 5], 100, 50, 300, 2, 500, 20_000, 5);

    public int MostViewers => Viewers.Max();

    /// <summary>How the run was started, for the report.</summary>
    public string Command => Quick
        ? "dotnet run -c Release --project BlfBlazor.Benchmarks -- --quick"
        : "dotnet run -c Release --project BlfBlazor.Benchmarks";
}
