using System.Diagnostics;

namespace BlfBlazor.Benchmarks.Ingest;

/// <summary>
/// The missed-call recording's cost as a ratio measured in pairs: the same CallInfo frames without and
/// with the watch, alternated round by round (A B, then B A), so a noisy machine's drift falls on both
/// sides alike. BenchmarkDotNet runs one benchmark after the other, and on this machine their
/// difference was mostly drift (the same build measured −17 % and +33 %).
/// </summary>
internal static class MissedCallOverhead
{
    public sealed record Figures(int Rounds, double PlainNs, double WatchedNs, double Median, double LowerQuartile, double UpperQuartile);

    public static Figures Measure(int rounds)
    {
        using var benchmarks = new IngestBenchmarks();
        benchmarks.Setup();
        Action plain = benchmarks.CallInfosHalfMissed;
        Action watched = benchmarks.CallInfosWithMissedCalls;
        for (var i = 0; i < 20; i++)
        {
            plain();
            watched();
        }

        var plainTimes = new double[rounds];
        var watchedTimes = new double[rounds];
        var ratios = new double[rounds];
        for (var round = 0; round < rounds; round++)
        {
            if (round % 2 == 0)
            {
                plainTimes[round] = Time(plain);
                watchedTimes[round] = Time(watched);
            }
            else
            {
                watchedTimes[round] = Time(watched);
                plainTimes[round] = Time(plain);
            }

            ratios[round] = watchedTimes[round] / plainTimes[round];
        }

        Array.Sort(ratios);
        return new Figures(rounds, Median(plainTimes) / IngestBenchmarks.HalfMissedFrames, Median(watchedTimes) / IngestBenchmarks.HalfMissedFrames,
            ratios[rounds / 2] - 1, ratios[rounds / 4] - 1, ratios[rounds * 3 / 4] - 1);
    }

    private static double Time(Action run)
    {
        var start = Stopwatch.GetTimestamp();
        run();
        return Stopwatch.GetElapsedTime(start).TotalNanoseconds;
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
