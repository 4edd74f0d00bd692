using System.Diagnostics;

namespace BlfBlazor.Benchmarks.Infrastructure;

/// <summary>
/// Wall-clock time in Unix milliseconds with sub-millisecond resolution: a Stopwatch anchored once
/// to UtcNow, the same construction as the simulator's send stamps (and as a page's
/// performance.timeOrigin + performance.now()).
/// </summary>
internal static class UnixClock
{
    private static readonly double s_anchorMs = (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds;
    private static readonly long s_anchorTicks = Stopwatch.GetTimestamp();

    public static double Now => s_anchorMs + Stopwatch.GetElapsedTime(s_anchorTicks).TotalMilliseconds;
}
