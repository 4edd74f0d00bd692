using BlfBlazor.Benchmarks.Browser;
using BlfBlazor.Benchmarks.Infrastructure;
using BlfBlazor.Benchmarks.Servers;

namespace BlfBlazor.Benchmarks.Suite;

/// <summary>Event-to-screen latency over all viewers: send time at the simulator to data-state change in the page.</summary>
/// <param name="Min">The smallest latency: near 0 and never clearly negative when the clocks agree.</param>
internal sealed record LatencyResult(int Updates, int Viewers, int Matched, int Unmatched, double Min, double P50, double P95, double P99, double Max)
{
    /// <summary>
    /// How far before its send time an observation may lie and still count (clock stamps of two
    /// processes; a user is not updated again for seconds, so this cannot pick a wrong change).
    /// </summary>
    private const double ClockTolerance = 2;

    /// <summary>No figures (the run failed).</summary>
    public static LatencyResult None { get; } = new(0, 0, 0, 0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);

    /// <summary>
    /// Matches every update to the first observation of the same (guid, state) in each page at or
    /// after its send time and before the next update of that guid; the rest count as unmatched.
    /// </summary>
    public static LatencyResult Match(IReadOnlyList<SentUpdate> updates, IReadOnlyList<IReadOnlyList<Observation>> pages)
    {
        // When each guid is next updated, so an observation of a later change is never taken for this one.
        var nextOfSameGuid = new double[updates.Count];
        var seen = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var i = updates.Count - 1; i >= 0; i--)
        {
            nextOfSameGuid[i] = seen.TryGetValue(updates[i].Guid, out var next) ? next : double.PositiveInfinity;
            seen[updates[i].Guid] = updates[i].SentAt;
        }

        var latencies = new List<double>(updates.Count * pages.Count);
        var unmatched = 0;
        foreach (var observations in pages)
        {
            var shown = observations
                .GroupBy(o => (o.Guid, o.State))
                .ToDictionary(g => g.Key, g => g.Select(o => o.At).Order().ToArray());
            for (var i = 0; i < updates.Count; i++)
            {
                var update = updates[i];
                if (shown.TryGetValue((update.Guid, update.State), out var times)
                    && FirstAtOrAfter(times, update.SentAt - ClockTolerance) is { } at
                    && at < nextOfSameGuid[i])
                {
                    latencies.Add(at - update.SentAt);
                }
                else
                {
                    unmatched++;
                }
            }
        }

        latencies.Sort();
        return new LatencyResult(updates.Count, pages.Count, latencies.Count, unmatched,
            latencies.Count > 0 ? latencies[0] : double.NaN, Percentiles.Of(latencies, 50), Percentiles.Of(latencies, 95), Percentiles.Of(latencies, 99),
            latencies.Count > 0 ? latencies[^1] : double.NaN);
    }

    private static double? FirstAtOrAfter(double[] sorted, double from)
    {
        var index = Array.BinarySearch(sorted, from);
        if (index < 0)
        {
            index = ~index;
        }

        return index < sorted.Length ? sorted[index] : null;
    }
}
