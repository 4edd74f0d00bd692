using System.Diagnostics;

namespace BlfBlazor.Benchmarks.Ingest;

/// <summary>
/// The missed-call recording's cost as a ratio measured in pairs: the same CallInfo frames without and
/// with the watch, alternated round by round (A B, then B A), so a noisy machine's drift falls on both
/// sides alike. BenchmarkDotNet runs one benchmark after the other, and on this machine their
/// difference was mostly drift (the same build measured −17 % and +33 %).
/// </summary>
/// <remarks>
/// Each side of a round runs <see cref="PassesPerSide"/> passes (about 0.1 s), so it holds several
/// collections of the garbage it makes itself. With one pass a side (a collection every pass or so) the
/// ratio of a round depended on which side a collection fell in, and the median understated the cost
/// by about half (+7 % against +12 % for the same build, with the middle half of the rounds spread
/// over 25 points instead of 6).
/// </remarks>
internal static class MissedCallOverhead
{
    public const int PassesPerSide = 8;

    public sealed record Figures(int Rounds, double PlainNs, double WatchedNs, double Median, double LowerQuartile, double UpperQuartile, double PlainBytes, double WatchedBytes);

    public static Figures Measure(int rounds)
    {
        using var benchmarks = new IngestBenchmarks();
        benchmarks.Setup();
        var plain = Passes(benchmarks.CallInfosHalfMissed);
        var watched = Passes(benchmarks.CallInfosWithMissedCalls);
        for (var i = 0; i < 3; i++)
        {
            plain();
            watched();
        }

        var plainTimes = new double[rounds];
        var watchedTimes = new double[rounds];
        var ratios = new double[rounds];
        long plainBytes = 0, watchedBytes = 0;
        for (var round = 0; round < rounds; round++)
        {
            if (round % 2 == 0)
            {
                plainTimes[round] = Time(plain, ref plainBytes);
                watchedTimes[round] = Time(watched, ref watchedBytes);
            }
            else
            {
                watchedTimes[round] = Time(watched, ref watchedBytes);
                plainTimes[round] = Time(plain, ref plainBytes);
            }

            ratios[round] = watchedTimes[round] / plainTimes[round];
        }

        Array.Sort(ratios);
        const double Frames = (double)IngestBenchmarks.HalfMissedFrames * PassesPerSide;
        return new Figures(rounds, Median(plainTimes) / Frames, Median(watchedTimes) / Frames,
            ratios[rounds / 2] - 1, ratios[rounds / 4] - 1, ratios[rounds * 3 / 4] - 1, plainBytes / Frames / rounds, watchedBytes / Frames / rounds);
    }

    private static Action Passes(Action pass) => () =>
    {
        for (var i = 0; i < PassesPerSide; i++)
        {
            pass();
        }
    };

    private static double Time(Action run, ref long allocated)
    {
        var bytes = GC.GetAllocatedBytesForCurrentThread();
        var start = Stopwatch.GetTimestamp();
        run();
        var elapsed = Stopwatch.GetElapsedTime(start).TotalNanoseconds;
        allocated += GC.GetAllocatedBytesForCurrentThread() - bytes;
        return elapsed;
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
