using System.Diagnostics;
using System.Globalization;
using BlfBlazor.Benchmarks.Infrastructure;
using BlfBlazor.Benchmarks.Servers;
using BlfBlazor.Benchmarks.Suite;

namespace BlfBlazor.Benchmarks.Circuits;

/// <summary>One row of the circuit run, as results/circuits.json has it.</summary>
internal sealed record CircuitFigures(
    int Users, int Boards, double P50Ms, double P95Ms, double P99Ms, double WsPerBoardMb, double HeapPerBoardMb,
    int Lost, bool Correct, int Refused, int Changes, int Matched, double CpuSecondsPer1000Changes, double WorkingSetMb, double HeapMb);

/// <summary>
/// How many boards one app holds, measured without browsers: B headless boards (<see cref="HeadlessBoard"/>)
/// against the app pointed at the standalone simulator (calls and presence monitored, as by default),
/// lamp changes at a fixed rate; per B the event-to-batch latency (simulator send time to the batch
/// decoded), the app's CPU per change, its memory per added board, circuits refused or lost, and
/// whether every board ends equal to the simulator. Writes results/circuits.md and circuits.json.
/// </summary>
internal static class CircuitsRun
{
    private const double Rate = 20;
    private static readonly TimeSpan s_straggle = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan s_settle = TimeSpan.FromSeconds(30);

    /// <summary><c>--quick</c>: small B and few changes; <c>--boards 1,100</c>: those B at 1,000 users, nothing at 5,000.</summary>
    public static async Task<int> RunAsync(Repository repository, string[] args, CancellationToken ct)
    {
        var quick = args.Contains("--quick");
        var boards = RunReport.Option(args, "--boards");
        (int Users, int[] Boards)[] runs = boards is not null
            ? [(1000, [.. boards.Split(',').Select(b => int.Parse(b, CultureInfo.InvariantCulture))])]
            : quick ? [(1000, [1, 20]), (5000, [10])] : [(1000, [1, 100, 500, 1000]), (5000, [100])];
        var changes = quick ? 100 : 400;
        var command = RunReport.Command(args);
        var started = DateTimeOffset.UtcNow;

        var figures = new List<CircuitFigures>();
        foreach (var (users, counts) in runs)
        {
            figures.AddRange(await RunUsersAsync(repository, users, counts, changes, ct));
        }

        RunReport.Write(repository, "circuits", Report(figures, command, started, changes), figures);
        return figures.All(f => f.Correct && f.Lost == 0 && f.Refused == 0) ? 0 : 1;
    }

    private static async Task<List<CircuitFigures>> RunUsersAsync(Repository repository, int users, int[] boardCounts, int changes, CancellationToken ct)
    {
        RunReport.Log($"N = {users}: simulator and app");
        using var simulator = await SimulatorProcess.StartAsync(repository, users, "circuits-bench-secret", ct);
        using var app = await AppProcess.StartAsync(repository, simulator, ct);
        var page = app.BaseUrl;
        await using var fleet = new BoardFleet(page, users);
        var seed = 1;

        // One board opened and left first, so the baseline has the board's code paths warm.
        await fleet.GrowToAsync(1, ct);
        await fleet.CloseAsync(0);
        var baseline = await MemoryAsync(app);
        RunReport.Log($"  baseline {baseline.WorkingSetMb:0.0} MB working set, {baseline.HeapMb:0.0} MB managed heap");

        var figures = new List<CircuitFigures>();
        foreach (var count in boardCounts)
        {
            var opening = Stopwatch.GetTimestamp();
            await fleet.GrowToAsync(count, ct);
            RunReport.Log($"  B = {count}: {fleet.Boards.Count} boards open after {Stopwatch.GetElapsedTime(opening).TotalSeconds:0} s ({fleet.Refused} refused)");
            var memory = await MemoryAsync(app);

            await simulator.DriveAsync(20, Rate, seed++, ct);
            await Task.Delay(s_straggle, ct);
            fleet.TakeSeen();

            var cpuBefore = app.Sample().Cpu;
            var log = await simulator.DriveAsync(changes, Rate, seed++, ct);
            await Task.Delay(s_straggle, ct);
            var cpu = (app.Sample().Cpu - cpuBefore).TotalSeconds;
            var latency = LatencyResult.Match(log, fleet.TakeSeen());

            var lamps = await simulator.LampsAsync(ct);
            var (differing, _) = await Wait.SettledAsync(Stopwatch.GetTimestamp(), s_settle, () => Task.FromResult(fleet.Differing(lamps)), ct);
            var row = new CircuitFigures(
                users, fleet.Boards.Count, Round(latency.P50), Round(latency.P95), Round(latency.P99),
                Round((memory.WorkingSetMb - baseline.WorkingSetMb) / Math.Max(1, fleet.Boards.Count), 3),
                Round((memory.HeapMb - baseline.HeapMb) / Math.Max(1, fleet.Boards.Count), 3),
                fleet.LostNow, differing == 0 && fleet.Boards.Count == count, fleet.Refused, log.Count, latency.Matched,
                Round(cpu / Math.Max(1, log.Count) * 1000, 3), Round(memory.WorkingSetMb), Round(memory.HeapMb));
            RunReport.Log($"  p50 {row.P50Ms} / p95 {row.P95Ms} / p99 {row.P99Ms} ms ({latency.Matched} of {latency.Updates * latency.Viewers} seen), "
                + $"{row.CpuSecondsPer1000Changes} CPU s/1000 changes, {row.WsPerBoardMb} MB WS and {row.HeapPerBoardMb} MB heap per board, "
                + $"{row.Lost} lost, {differing} boards differ from the simulator");
            foreach (var reason in fleet.LostReasons)
            {
                RunReport.Log($"  lost: {reason}");
            }

            figures.Add(row);
        }

        return figures;
    }

    /// <summary>The managed heap after a full GC, then the working set (which that GC may shrink).</summary>
    internal static async Task<(double WorkingSetMb, double HeapMb)> MemoryAsync(AppProcess app)
    {
        var heap = await ManagedHeap.AfterFullGcAsync(app.ProcessId) ?? 0;
        return (app.Sample().WorkingSetBytes / 1048576.0, heap / 1048576.0);
    }

    private static string Report(IReadOnlyList<CircuitFigures> figures, string command, DateTimeOffset started, int changes)
    {
        var text = RunReport.Head("Boards per instance: headless circuits", command, started)
            .Append(CultureInfo.InvariantCulture, $"Per row: B boards open, then {changes} lamp changes at {Rate:0}/s with calls and presence monitored. Latency: the simulator's send time of a change to the render batch carrying that tile decoded by each board, over all boards. Memory per board: (after − before any board) / B, the managed heap after a full GC. Correct: every board shows every user's lamp as the simulator has it, none stale.\n\n")
            .Append("| users | boards | p50 (ms) | p95 (ms) | p99 (ms) | seen | app CPU s / 1,000 changes | working set (MB) | per board (MB) | managed heap (MB) | per board (MB) | refused | lost | correct |\n")
            .Append("|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|:-:|\n");
        foreach (var f in figures)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"| {f.Users} | {f.Boards} | {f.P50Ms} | {f.P95Ms} | {f.P99Ms} | {f.Matched} of {f.Changes * f.Boards} | {f.CpuSecondsPer1000Changes} | {f.WorkingSetMb} | {f.WsPerBoardMb} | {f.HeapMb} | {f.HeapPerBoardMb} | {f.Refused} | {f.Lost} | {(f.Correct ? "yes" : "**no**")} |\n");
        }

        return text.ToString();
    }

    private static double Round(double value, int digits = 1) => double.IsFinite(value) ? Math.Round(value, digits) : double.NaN;
}
