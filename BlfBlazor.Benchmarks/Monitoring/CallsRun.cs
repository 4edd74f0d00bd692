using System.Globalization;
using System.Text;
using BlfBlazor.Benchmarks.Browser;
using BlfBlazor.Benchmarks.Infrastructure;
using BlfBlazor.Benchmarks.Servers;
using BlfBlazor.Benchmarks.Suite;

namespace BlfBlazor.Benchmarks.Monitoring;

/// <summary>
/// Event-to-screen latency of a call's peer appearing on a tile next to a lamp change's, in one run:
/// N = 1,000 users with calls and presence monitored, one app board in Chromium, first a window of
/// lamp changes, then a window of outside calls (7 CallInfo each). The peer's latency is the
/// simulator's send time of the call to the first time the callee's tile names that caller.
/// Writes results/calls.md.
/// </summary>
internal static class CallsRun
{
    // After the last event is sent, time for it to reach the screen; what never does counts as unseen.
    private static readonly TimeSpan s_straggle = TimeSpan.FromSeconds(2);

    public static async Task<int> RunAsync(Repository repository, int users, int updates, int calls, double rate, CancellationToken ct)
    {
        using var simulator = await SimulatorProcess.StartAsync(repository, users, "calls-bench-secret", ct);
        using var app = await AppProcess.StartAsync(repository, simulator, ct);
        await using var browser = await ViewerBrowser.LaunchAsync(repository, reducedMotion: false);
        var viewer = await browser.OpenAsync(new Uri(app.BaseUrl, "/"), Side.App, users, interactive: true, TimeSpan.FromMinutes(1));
        try
        {
            // Warm up both paths, then measure each in its own window.
            await simulator.DriveAsync(100, rate, seed: 1, ct);
            await simulator.CallsAsync(20, rate, seed: 2, ct);

            await viewer.StartRecordingAsync();
            var lampUpdates = await simulator.DriveAsync(updates, rate, seed: 3, ct);
            await Task.Delay(s_straggle, ct);
            var lampSeen = await viewer.StopRecordingAsync();
            var lamp = LatencyResult.Match(lampUpdates, [lampSeen]);

            await viewer.StartRecordingAsync();
            var started = await simulator.CallsAsync(calls, rate, seed: 4, ct);
            await Task.Delay(s_straggle, ct);
            var peersSeen = await viewer.StopRecordingAsync();

            // The same matching as for lamps, with "the tile names this peer" as the state to see.
            var peer = LatencyResult.Match(
                [.. started.Select(call => new SentUpdate(call.Guid, "peer:" + call.Peer, call.SentAt))],
                [[.. peersSeen.Where(o => o.Peer is not null).Select(o => o with { State = "peer:" + o.Peer })]]);

            var machine = MachineInfo.Read();
            var text = new StringBuilder()
                .Append("### Calls: a call's peer on the tile next to a lamp change\n\n")
                .Append(CultureInfo.InvariantCulture, $"`dotnet run -c Release --project BlfBlazor.Benchmarks -- calls` on {machine.Cpu}, {machine.Cores} cores; N = {users} users with calls and presence monitored, one app board in Chromium {browser.Version}; {rate:0} events/s.\n\n")
                .Append("| window | events | seen | p50 (ms) | p95 (ms) | p99 (ms) |\n|---|--:|--:|--:|--:|--:|\n")
                .Append(CultureInfo.InvariantCulture, $"| lamp changes (data-state) | {lamp.Updates} | {lamp.Matched} | {lamp.P50:0.0} | {lamp.P95:0.0} | {lamp.P99:0.0} |\n")
                .Append(CultureInfo.InvariantCulture, $"| outside calls, 7 CallInfo each (data-call-peer) | {peer.Updates} | {peer.Matched} | {peer.P50:0.0} | {peer.P95:0.0} | {peer.P99:0.0} |\n");
            var markdown = text.ToString();
            Console.WriteLine(markdown);
            repository.WriteResult("calls.md", markdown);
            return 0;
        }
        finally
        {
            await viewer.DisposeAsync();
        }
    }
}
