using System.Globalization;

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
/// <param name="Large">Whether to run the second N at all.</param>
/// <param name="ReducedMotion">Whether the viewers' pages see prefers-reduced-motion: reduce (--reduced-motion).</param>
/// <param name="Partial">True when narrowed down by options: the result is not the suite's.</param>
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
    int BurstViewers,
    bool Large = true,
    bool Partial = false,
    bool ReducedMotion = false)
{
    public static SuiteSettings Full { get; } = new(false, 1000, 5000, [1, 10, 50], 100, 200, 1500, 5, 2000, 20_000, 10);

    /// <summary>A smoke run of a minute or two: small N and V, short windows.</summary>
    public static SuiteSettings Smoke { get; } = new(true, 200, 1000, [1, 5], 100, 50, 300, 2, 500, 20_000, 5);

    /// <summary>--quick for <see cref="Smoke"/>; --users, --viewers, --no-large and --reduced-motion change either.</summary>
    public static SuiteSettings FromArguments(IReadOnlyList<string> args)
    {
        var settings = args.Contains("--quick") ? Smoke : Full;
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : "";
            settings = args[i] switch
            {
                "--users" => settings with { Users = int.Parse(value, CultureInfo.InvariantCulture), Partial = true },
                "--viewers" => settings with { Viewers = [.. value.Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture))], Partial = true },
                "--no-large" => settings with { Large = false, Partial = true },
                "--reduced-motion" => settings with { ReducedMotion = true, Partial = true },
                _ => settings,
            };
        }

        return settings;
    }

    public string ResultFile => Partial ? "partial.md" : Quick ? "quick.md" : "latest.md";

    public int MostViewers => Viewers.Max();

    /// <summary>How the run was started, for the report.</summary>
    public string Command => Partial ? "dotnet run -c Release --project BlfBlazor.Benchmarks -- (narrowed down)"
        : Quick ? "dotnet run -c Release --project BlfBlazor.Benchmarks -- --quick"
        : "dotnet run -c Release --project BlfBlazor.Benchmarks";
}
