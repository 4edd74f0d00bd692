using System.Diagnostics;
using System.Globalization;
using BlfBlazor.Benchmarks.Infrastructure;
using BlfBlazor.Benchmarks.Servers;
using BlfBlazor.Benchmarks.Suite;

namespace BlfBlazor.Benchmarks.Circuits;

/// <summary>One round of the queue run: lamps alone, or lamps with the queues changing beside them.</summary>
internal sealed record QueueRoundFigures(
    string Round, int LampChanges, int QueueChanges, double CpuSecondsPer1000LampChanges, double CpuSecondsPer1000Changes, double LampP50Ms, double LampP99Ms,
    double QueueP50Ms, double QueueP99Ms, int LampsMatched, int QueuesMatched);

/// <summary>The queue run: its rounds, and whether every board ended equal to the simulator.</summary>
internal sealed record QueueRunFigures(int Users, int Queues, int CallersPerQueue, int Boards, IReadOnlyList<QueueRoundFigures> Rounds, int Lost, bool Correct);

/// <summary>
/// What waiting queues cost beside the lamps (issue 22): the app with 1,000 people and 20 waiting queues, B
/// headless boards (100 by default), each queue filled to 10 callers. Rounds alternate: lamp changes alone at
/// 20/s, then the same lamp changes with the queues changing at 20/s beside them (the queues in turn, so each
/// queue changes once a second: a caller arrives or the newest gives up, so no agent's phone changes). Per round: the app's CPU per
/// 1,000 lamp changes and per 1,000 changes of either kind, the lamp's and the queue count's latency (the simulator's
/// send time to the render batch or tile payload that shows it, over all boards). Writes results/queues.md and .json.
/// </summary>
internal static class QueuesRun
{
    private const int Users = 1000;
    private const int Queues = 20;
    private const int CallersPerQueue = 10;
    private const double Rate = 20;
    private static readonly TimeSpan s_straggle = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan s_settle = TimeSpan.FromSeconds(30);

    /// <summary><c>--boards 100</c>: how many boards; <c>--rounds 2</c>: pairs of rounds (lamps alone, lamps and queues).</summary>
    public static async Task<int> RunAsync(Repository repository, string[] args, CancellationToken ct)
    {
        var boards = int.Parse(RunReport.Option(args, "--boards") ?? "100", CultureInfo.InvariantCulture);
        var pairs = int.Parse(RunReport.Option(args, "--rounds") ?? "2", CultureInfo.InvariantCulture);
        var changes = args.Contains("--quick") ? 100 : 400;
        var command = RunReport.Command(args);
        var started = DateTimeOffset.UtcNow;

        RunReport.Log($"N = {Users} with {Queues} queues: simulator and app");
        using var simulator = await SimulatorProcess.StartAsync(repository, Users, "queues-bench-secret", ct,
            "--Simulator:Objects=true", string.Create(CultureInfo.InvariantCulture, $"--Simulator:Queues={Queues}"));
        using var app = await AppProcess.StartAsync(repository, simulator, ct);
        await using var fleet = new BoardFleet(app.BaseUrl, Users);
        await fleet.GrowToAsync(boards, ct);
        RunReport.Log($"  {fleet.Boards.Count} boards open ({fleet.Refused} refused)");

        // Warm: the queues filled, both paths run once.
        var seed = 1;
        await Task.WhenAll(simulator.DriveAsync(20, Rate, seed++, ct), simulator.QueuesAsync(20, Rate, seed++, CallersPerQueue, ct));
        await Task.Delay(s_straggle, ct);
        fleet.TakeSeen();
        fleet.TakeQueueSeen();

        var rounds = new List<QueueRoundFigures>();
        for (var pair = 0; pair < pairs; pair++)
        {
            foreach (var withQueues in new[] { false, true })
            {
                var cpuBefore = app.Sample().Cpu;
                var lampRun = simulator.DriveAsync(changes, Rate, seed++, ct);
                var queueRun = withQueues ? simulator.QueuesAsync(changes, Rate, seed++, CallersPerQueue, ct) : Task.FromResult<IReadOnlyList<SentUpdate>>([]);
                await Task.WhenAll(lampRun, queueRun);
                await Task.Delay(s_straggle, ct);
                var cpu = (app.Sample().Cpu - cpuBefore).TotalSeconds;
                var lamps = LatencyResult.Match(await lampRun, fleet.TakeSeen());
                var queues = LatencyResult.Match(await queueRun, fleet.TakeQueueSeen());
                var total = (await lampRun).Count + (await queueRun).Count;
                var row = new QueueRoundFigures(
                    withQueues ? "lamps and queues" : "lamps alone", (await lampRun).Count, (await queueRun).Count,
                    Round(cpu / Math.Max(1, (await lampRun).Count) * 1000, 3), Round(cpu / Math.Max(1, total) * 1000, 3), Round(lamps.P50), Round(lamps.P99), Round(queues.P50), Round(queues.P99),
                    lamps.Matched, queues.Matched);
                RunReport.Log($"  {row.Round}: {row.CpuSecondsPer1000LampChanges} CPU s/1000 lamp changes ({row.CpuSecondsPer1000Changes} per 1000 of all); lamp p50/p99 {row.LampP50Ms}/{row.LampP99Ms} ms"
                    + (withQueues ? $", queue count p50/p99 {row.QueueP50Ms}/{row.QueueP99Ms} ms ({queues.Matched} of {queues.Updates * queues.Viewers} seen)" : ""));
                rounds.Add(row);
            }
        }

        var truth = await simulator.LampsAsync(ct);
        var (differing, _) = await Wait.SettledAsync(Stopwatch.GetTimestamp(), s_settle, () => Task.FromResult(fleet.Differing(truth)), ct);
        var counts = await simulator.QueueCountsAsync(ct);
        var (differingQueues, _) = await Wait.SettledAsync(Stopwatch.GetTimestamp(), s_settle, () => Task.FromResult(fleet.DifferingQueues(counts)), ct);
        RunReport.Log($"  {differing} boards differ from the simulator's lamps, {differingQueues} from its queues; {fleet.LostNow} lost");
        foreach (var reason in fleet.LostReasons)
        {
            RunReport.Log($"  lost: {reason}");
        }

        var figures = new QueueRunFigures(Users, Queues, CallersPerQueue, fleet.Boards.Count, rounds, fleet.LostNow,
            differing == 0 && differingQueues == 0 && fleet.Boards.Count == boards);
        RunReport.Write(repository, "queues", Report(figures, command, started, changes), figures);
        return figures.Correct && figures.Lost == 0 ? 0 : 1;
    }

    private static string Report(QueueRunFigures figures, string command, DateTimeOffset started, int changes)
    {
        var alone = figures.Rounds.Where(r => r.QueueChanges == 0).Select(r => r.CpuSecondsPer1000LampChanges).DefaultIfEmpty(double.NaN).Average();
        var both = figures.Rounds.Where(r => r.QueueChanges > 0).Select(r => r.CpuSecondsPer1000LampChanges).DefaultIfEmpty(double.NaN).Average();
        var bothAll = figures.Rounds.Where(r => r.QueueChanges > 0).Select(r => r.CpuSecondsPer1000Changes).DefaultIfEmpty(double.NaN).Average();
        var text = RunReport.Head("Queues beside the lamps: headless circuits", command, started)
            .Append(CultureInfo.InvariantCulture, $"{figures.Users} people, {figures.Queues} waiting queues filled to {figures.CallersPerQueue} callers, {figures.Boards} boards. Each round: {changes} lamp changes at {Rate:0}/s, alone or with {changes} queue changes at {Rate:0}/s beside them (the queues in turn: each queue changes once a second, a caller arrives or the newest gives up; the longest waiting, who rings at the agents, stays, so no agent's tile changes and the cost measured is the queue cards'). App CPU is the app process's over the round and the 2 s after it, divided by the lamp changes (so the queues' cost shows as the rise over lamps alone) and by all changes. Latency: the simulator's send time to the board decoding the tile, or the queue card with that many callers waiting, over all boards.\n\n")
            .Append("| round | lamp changes | queue changes | app CPU s / 1,000 lamp changes | app CPU s / 1,000 changes | lamp p50 (ms) | lamp p99 (ms) | queue count p50 (ms) | queue count p99 (ms) |\n")
            .Append("|---|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        foreach (var r in figures.Rounds)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"| {r.Round} | {r.LampChanges} | {r.QueueChanges} | {r.CpuSecondsPer1000LampChanges} | {r.CpuSecondsPer1000Changes} | {r.LampP50Ms} | {r.LampP99Ms} | {(r.QueueChanges > 0 ? r.QueueP50Ms : "–")} | {(r.QueueChanges > 0 ? r.QueueP99Ms : "–")} |\n");
        }

        return text.Append(CultureInfo.InvariantCulture,
                $"\nApp CPU per 1,000 lamp changes, mean of the rounds: lamps alone {alone:0.###} s, with the queues beside them {both:0.###} s ({(both / alone - 1) * 100:+0;-0} %); per 1,000 changes of either kind {bothAll:0.###} s ({(bothAll / alone - 1) * 100:+0;-0} % over lamps alone; target at most +10 %). ")
            .Append(CultureInfo.InvariantCulture, $"Lost circuits: {figures.Lost}. Every board equal to the simulator (lamps and queue counts): {(figures.Correct ? "yes" : "**no**")}.\n")
            .ToString();
    }

    private static double Round(double value, int digits = 1) => double.IsFinite(value) ? Math.Round(value, digits) : double.NaN;
}
