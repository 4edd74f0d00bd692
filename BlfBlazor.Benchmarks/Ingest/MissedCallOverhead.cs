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

    public sealed record Figures(int Rounds, double PlainNs, double WatchedNs, double Median, double LowerQuartile, double UpperQuartile, double PlainBytes, double WatchedBytes, Collections PlainGc, Collections WatchedGc);

    /// <summary>The collections that fell in one side's timed passes, and the share of its time they paused it.</summary>
    public sealed record Collections(int Gen0, int Gen1, int Gen2, double PausedShare)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Gen0}/{Gen1}/{Gen2} collections (gen0/1/2), paused {PausedShare * 100:0} % of its time");
    }

    /// <summary>Every share measured, a paragraph each, as the ingest report prints them.</summary>
    public static string Report()
    {
        var text = new StringBuilder();
        foreach (var oneIn in Shares)
        {
            var paired = Measure(rounds: 41, oneIn);
            text.Append(CultureInfo.InvariantCulture, $"\nMissed-call recording with one call in {oneIn} missed costs {paired.Median * 100:+0.0;-0.0} % per CallInfo frame (target at most +5 %): ");
            text.Append(CultureInfo.InvariantCulture, $"the median of {paired.Rounds} rounds that run the same frames without and with the watch in turn, {PassesPerSide} passes a side ({paired.PlainNs:0} → {paired.WatchedNs:0} ns per frame, medians; ");
            text.Append(CultureInfo.InvariantCulture, $"the middle half of the rounds between {paired.LowerQuartile * 100:+0.0;-0.0} % and {paired.UpperQuartile * 100:+0.0;-0.0} %; {paired.PlainBytes:0} → {paired.WatchedBytes:0} bytes allocated per frame). ");
            text.Append(CultureInfo.InvariantCulture, $"Garbage collection: without the watch {paired.PlainGc}; with it {paired.WatchedGc}.\n");
        }

        return text.ToString();
    }

    /// <param name="missOneCallIn">One call in this many is given up while ringing: 2 is the worst case measured, 10 a busy office's day.</param>
    public static Figures Measure(int rounds, int missOneCallIn = 2)
    {
        using var benchmarks = new IngestBenchmarks();
        benchmarks.Setup();
        benchmarks.MissOneCallIn(missOneCallIn);
        var plain = new Side(Passes(benchmarks.CallInfosHalfMissed), rounds);
        var watched = new Side(Passes(benchmarks.CallInfosWithMissedCalls), rounds);
        for (var i = 0; i < 3; i++)
        {
            plain.Run();
            watched.Run();
        }

        var ratios = new double[rounds];
        for (var round = 0; round < rounds; round++)
        {
            if (round % 2 == 0)
            {
                plain.Time(round);
                watched.Time(round);
            }
            else
            {
                watched.Time(round);
                plain.Time(round);
            }

            ratios[round] = watched.Times[round] / plain.Times[round];
        }

        Array.Sort(ratios);
        var frames = (double)benchmarks.MissedCallPassFrames * PassesPerSide;
        return new Figures(rounds, Percentiles.Median(plain.Times) / frames, Percentiles.Median(watched.Times) / frames,
            Percentiles.Of(ratios, 50) - 1, Percentiles.Of(ratios, 25) - 1, Percentiles.Of(ratios, 75) - 1, plain.Bytes / frames / rounds, watched.Bytes / frames / rounds,
            plain.Collections(), watched.Collections());
    }

    private static Action Passes(Action pass) => () =>
    {
        for (var i = 0; i < PassesPerSide; i++)
        {
            pass();
        }
    };

    /// <summary>One side's passes and what its timed rounds took: time, allocation, and the collections that fell in them.</summary>
    private sealed class Side(Action run, int rounds)
    {
        private readonly int[] _collections = new int[3];
        private TimeSpan _paused;

        public Action Run { get; } = run;

        public double[] Times { get; } = new double[rounds];

        public long Bytes { get; private set; }

        public void Time(int round)
        {
            var collections = new[] { GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2) };
            var paused = GC.GetTotalPauseDuration();
            var bytes = GC.GetAllocatedBytesForCurrentThread();
            var start = Stopwatch.GetTimestamp();
            Run();
            Times[round] = Stopwatch.GetElapsedTime(start).TotalNanoseconds;
            Bytes += GC.GetAllocatedBytesForCurrentThread() - bytes;
            _paused += GC.GetTotalPauseDuration() - paused;
            for (var generation = 0; generation < _collections.Length; generation++)
            {
                // A count includes the older generations' collections: each is told once, at its own generation.
                _collections[generation] += GC.CollectionCount(generation) - collections[generation];
            }
        }

        public Collections Collections() =>
            new(_collections[0] - _collections[1], _collections[1] - _collections[2], _collections[2], _paused.TotalNanoseconds / Times.Sum());
    }
}
