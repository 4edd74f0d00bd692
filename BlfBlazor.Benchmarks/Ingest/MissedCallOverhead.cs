using System.Diagnostics;
using System.Globalization;
using System.Text;
using BlfBlazor.Benchmarks.Infrastructure;

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

    /// <summary>The shares of missed calls measured: every other call (the worst case), and one in ten.</summary>
    public static readonly int[] Shares = [2, 10];

    public sealed record Figures(int Rounds, double PlainNs, double WatchedNs, double Median, double LowerQuartile, double UpperQuartile, double PlainBytes, double WatchedBytes);

    /// <summary>Every share measured, a paragraph each, as the ingest report prints them.</summary>
    public static string Report()
    {
        var text = new StringBuilder();
        foreach (var oneIn in Shares)
        {
            var paired = Measure(rounds: 41, oneIn);
            text.Append(CultureInfo.InvariantCulture, $"\nMissed-call recording with one call in {oneIn} missed costs {paired.Median * 100:+0.0;-0.0} % per CallInfo frame (target at most +5 %): ");
            text.Append(CultureInfo.InvariantCulture, $"the median of {paired.Rounds} rounds that run the same frames without and with the watch in turn, {PassesPerSide} passes a side ({paired.PlainNs:0} → {paired.WatchedNs:0} ns per frame, medians; ");
            text.Append(CultureInfo.InvariantCulture, $"the middle half of the rounds between {paired.LowerQuartile * 100:+0.0;-0.0} % and {paired.UpperQuartile * 100:+0.0;-0.0} %; {paired.PlainBytes:0} → {paired.WatchedBytes:0} bytes allocated per frame).\n");
        }

        return text.ToString();
    }

    /// <param name="missOneCallIn">One call in this many is given up while ringing: 2 is the worst case measured, 10 a busy office's day.</param>
    public static Figures Measure(int rounds, int missOneCallIn = 2)
    {
        using var benchmarks = new IngestBenchmarks();
        benchmarks.Setup();
        benchmarks.MissOneCallIn(missOneCallIn);
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
        var frames = (double)benchmarks.MissedCallPassFrames * PassesPerSide;
        return new Figures(rounds, Percentiles.Median(plainTimes) / frames, Percentiles.Median(watchedTimes) / frames,
            Percentiles.Of(ratios, 50) - 1, Percentiles.Of(ratios, 25) - 1, Percentiles.Of(ratios, 75) - 1, plainBytes / frames / rounds, watchedBytes / frames / rounds);
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
}
