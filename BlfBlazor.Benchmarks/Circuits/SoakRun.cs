using System.Diagnostics;
using System.Globalization;
using BlfBlazor.Benchmarks.Infrastructure;
using BlfBlazor.Benchmarks.Servers;

namespace BlfBlazor.Benchmarks.Circuits;

/// <summary>The app's memory at one minute of the soak.</summary>
internal sealed record SoakSample(int Minute, double WorkingSetMb, double HeapMb, int Boards, int Changes);

/// <summary>A soak run as results/soak.json has it; slopes in MB per minute, fitted from <see cref="SlopeFromMinute"/> on.</summary>
internal sealed record SoakFigures(
    int Minutes, int Users, int Boards, IReadOnlyList<SoakSample> Samples, int SlopeFromMinute, double WsSlopeMbPerMinute, double HeapSlopeMbPerMinute,
    int Changes, int PbxDrops, int BoardsOpened, int BoardsClosed, int Refused, int Lost, bool Correct, SoakSample Settled);

/// <summary>
/// Does the app stay up for weeks: 100 headless boards for a long time, lamp changes at 20/s, the PBX
/// connection dropped every 5 minutes (the app resyncs), one board left and another opened every
/// 10 s; the app's working set and managed heap (after a full GC) every minute, the trend after the
/// first 5 minutes, and every board checked against the simulator at the end. Writes results/soak.md and soak.json.
/// </summary>
internal static class SoakRun
{
    private const int Users = 1000;
    private const int Boards = 100;
    private const double Rate = 20;
    private const int SlopeFrom = 5;
    private static readonly TimeSpan s_churn = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan s_dropEvery = TimeSpan.FromMinutes(5);

    /// <summary><c>--minutes 30</c> (the default); a short run (<c>--minutes 2</c>) drops the PBX once, half-way.</summary>
    public static async Task<int> RunAsync(Repository repository, string[] args, CancellationToken ct)
    {
        var minutes = RunReport.Option(args, "--minutes") is { } m ? int.Parse(m, CultureInfo.InvariantCulture) : 30;
        var dropEvery = TimeSpan.FromMinutes(Math.Min(s_dropEvery.TotalMinutes, Math.Max(1, minutes / 2)));
        var command = RunReport.Command(args);
        var started = DateTimeOffset.UtcNow;

        RunReport.Log($"Soak, {minutes} min: simulator with {Users} users and the app");
        using var simulator = await SimulatorProcess.StartAsync(repository, Users, "soak-secret", ct);
        using var app = await AppProcess.StartAsync(repository, simulator, ct);
        await using var fleet = new BoardFleet(app.BaseUrl, Users);
        await fleet.GrowToAsync(Boards, ct);
        RunReport.Log($"  {fleet.Boards.Count} boards open");

        using var stopDriving = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var changes = 0;
        var driving = Task.Run(async () =>
        {
            // 10 s at a time, so the end of the run waits for at most one chunk.
            for (var seed = 1; !stopDriving.IsCancellationRequested; seed++)
            {
                Interlocked.Add(ref changes, (await simulator.DriveAsync((int)(Rate * 10), Rate, seed, ct)).Count);
            }
        }, ct);

        var samples = new List<SoakSample>();
        var random = new Random(SimulatorProcess.Seed);
        var (opened, closed, drops) = (0, 0, 0);
        var start = Stopwatch.GetTimestamp();
        var nextChurn = s_churn;
        var nextDrop = dropEvery;
        for (var minute = 0; minute <= minutes; minute++)
        {
            var (workingSet, heap) = await CircuitsRun.MemoryAsync(app);
            samples.Add(new SoakSample(minute, Math.Round(workingSet, 1), Math.Round(heap, 1), fleet.Boards.Count, Volatile.Read(ref changes)));
            RunReport.Log($"  minute {minute}: {workingSet:0.0} MB working set, {heap:0.0} MB managed heap, {fleet.Boards.Count} boards, {Volatile.Read(ref changes)} changes");
            if (minute == minutes)
            {
                break;
            }

            var minuteEnd = TimeSpan.FromMinutes(minute + 1);
            while (Stopwatch.GetElapsedTime(start) < minuteEnd)
            {
                var elapsed = Stopwatch.GetElapsedTime(start);
                if (elapsed >= nextDrop)
                {
                    await simulator.DropConnectionsAsync(ct);
                    drops++;
                    nextDrop += dropEvery;
                }

                if (elapsed >= nextChurn && fleet.Boards.Count > 0)
                {
                    await fleet.CloseAsync(random.Next(fleet.Boards.Count));
                    closed++;
                    var before = fleet.Boards.Count;
                    await fleet.GrowToAsync(Boards, ct);
                    opened += fleet.Boards.Count - before;
                    nextChurn += s_churn;
                }

                var wait = Min(nextChurn, nextDrop, minuteEnd) - Stopwatch.GetElapsedTime(start);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, ct);
                }
            }
        }

        await stopDriving.CancelAsync();
        await driving;
        await app.WaitLiveAsync(TimeSpan.FromSeconds(60), ct);
        var lamps = await simulator.LampsAsync(ct);
        var (differing, _) = await Wait.SettledAsync(Stopwatch.GetTimestamp(), TimeSpan.FromSeconds(60), () => Task.FromResult(fleet.Differing(lamps)), ct);
        RunReport.Log($"  end: {differing} boards differ from the simulator, {fleet.LostNow + fleet.LostEver} lost, {fleet.Refused} refused");

        // Once every board has caught up, nothing is in flight: what the heap holds now, it keeps.
        var (settledWorkingSet, settledHeap) = await CircuitsRun.MemoryAsync(app);
        var settled = new SoakSample(minutes, Math.Round(settledWorkingSet, 1), Math.Round(settledHeap, 1), fleet.Boards.Count, Volatile.Read(ref changes));

        var slopeFrom = samples.Count(s => s.Minute >= SlopeFrom) >= 2 ? SlopeFrom : 1;
        var fitted = samples.Where(s => s.Minute >= slopeFrom).ToList();
        var figures = new SoakFigures(
            minutes, Users, Boards, samples, slopeFrom,
            Math.Round(Slope(fitted, s => s.WorkingSetMb), 3), Math.Round(Slope(fitted, s => s.HeapMb), 3),
            Volatile.Read(ref changes), drops, opened, closed, fleet.Refused, fleet.LostNow + fleet.LostEver, differing == 0, settled);

        RunReport.Write(repository, "soak", Report(figures, command, started), figures);
        return figures.Correct && figures.Lost == 0 ? 0 : 1;
    }

    private static TimeSpan Min(params TimeSpan[] times) => times.Min();

    /// <summary>Least-squares slope of <paramref name="value"/> over the minutes; 0 with fewer than two samples.</summary>
    internal static double Slope(IReadOnlyList<SoakSample> samples, Func<SoakSample, double> value)
    {
        if (samples.Count < 2)
        {
            return 0;
        }

        var meanX = samples.Average(s => s.Minute);
        var meanY = samples.Average(value);
        var covariance = samples.Sum(s => (s.Minute - meanX) * (value(s) - meanY));
        var variance = samples.Sum(s => (s.Minute - meanX) * (s.Minute - meanX));
        return covariance / variance;
    }

    private static string Report(SoakFigures f, string command, DateTimeOffset started)
    {
        var text = RunReport.Head("Soak: 100 boards for a long time", command, started)
            .Append(CultureInfo.InvariantCulture, $"N = {f.Users} users, {f.Boards} headless boards, lamp changes at {Rate:0}/s ({f.Changes} in all), {f.PbxDrops} PBX drops, {f.BoardsClosed} boards left and {f.BoardsOpened} opened. ")
            .Append(CultureInfo.InvariantCulture, $"Trend from minute {f.SlopeFromMinute} on (least squares): working set {f.WsSlopeMbPerMinute:0.000} MB/min, managed heap {f.HeapSlopeMbPerMinute:0.000} MB/min. ")
            .Append(CultureInfo.InvariantCulture, $"At the end: {(f.Correct ? "every board equal to the simulator" : "**some boards differ from the simulator**")}; {f.Lost} circuits lost, {f.Refused} refused.\n\n")
            .Append("| minute | working set (MB) | managed heap after a full GC (MB) | boards | changes so far |\n|--:|--:|--:|--:|--:|\n");
        foreach (var s in f.Samples)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {s.Minute} | {s.WorkingSetMb} | {s.HeapMb} | {s.Boards} | {s.Changes} |\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"| end, changes stopped and every board caught up | {f.Settled.WorkingSetMb} | {f.Settled.HeapMb} | {f.Settled.Boards} | {f.Settled.Changes} |\n");

        return text.ToString();
    }
}
