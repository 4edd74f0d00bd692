using BlfBlazor.PbxSimulator.Benchmark;
using BlfBlazor.PbxSimulator.Core.Hosting;
using BlfBlazor.PbxSimulator.Core.Model;
using BlfBlazor.PbxSimulator.Core.Scenario;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace BlfBlazor.Tests.Simulator;

[Trait("Category", "Unit")]
public class BenchmarkDriverTests
{
    private static readonly string[] s_tokens = ["offline", "idle", "ringing", "busy"];

    [Fact]
    public async Task Every_update_changes_a_lamp_and_is_logged_with_its_send_time()
    {
        var pbx = Create(users: 300, seed: 3);
        var lamps = pbx.Users.ToDictionary(user => user.Guid, user => Token(user));
        // A clock that moves 1 ms each time it is read: each update's stamp tells when it was read.
        var start = new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);
        var clock = new FakeTimeProvider(start) { AutoAdvanceAmount = TimeSpan.FromMilliseconds(1) };

        var log = await new BenchmarkDriver(pbx, clock).RunAsync(500, perSecond: 50_000, seed: 1, CancellationToken.None);

        Assert.NotNull(log);
        Assert.Equal(500, log.Count);
        foreach (var update in log)
        {
            Assert.NotEqual(lamps[update.Guid], update.State);
            lamps[update.Guid] = update.State;
        }

        Assert.All(pbx.Users, user => Assert.Equal(lamps[user.Guid], Token(user)));
        // Stamped once per update, in the order they were sent, from the driver's clock.
        var startMs = start.ToUnixTimeMilliseconds();
        Assert.Equal(Enumerable.Range(0, 500).Select(i => (double)(startMs + i)), log.Select(update => update.SentAt));

        // No user twice within the window (half of 300 here): each change stays visible on its own.
        var window = Math.Min(BenchmarkDriver.RecentWindow, 300 / 2);
        for (var i = 0; i + window < log.Count; i++)
        {
            Assert.Equal(window + 1, log.Skip(i).Take(window + 1).Select(update => update.Guid).Distinct().Count());
        }
    }

    [Fact]
    public async Task The_same_seed_drives_the_same_updates()
    {
        var one = await new BenchmarkDriver(Create(users: 100, seed: 5)).RunAsync(200, 50_000, seed: 9, CancellationToken.None);
        var two = await new BenchmarkDriver(Create(users: 100, seed: 5)).RunAsync(200, 50_000, seed: 9, CancellationToken.None);
        var other = await new BenchmarkDriver(Create(users: 100, seed: 5)).RunAsync(200, 50_000, seed: 10, CancellationToken.None);

        Assert.Equal(one!.Select(u => (u.Guid, u.State)), two!.Select(u => (u.Guid, u.State)));
        Assert.NotEqual(one!.Select(u => (u.Guid, u.State)), other!.Select(u => (u.Guid, u.State)));
    }

    [Fact]
    public async Task A_run_refuses_to_overlap_another_and_a_cancelled_run_frees_the_driver()
    {
        var driver = new BenchmarkDriver(Create(users: 50, seed: 1));
        using var stop = new CancellationTokenSource();

        // 100 updates at 1/s: under way until cancelled, however slow this machine is.
        var slow = driver.RunAsync(100, perSecond: 1, seed: 1, stop.Token);
        Assert.Null(await driver.RunAsync(1, 100, seed: 2, CancellationToken.None));

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => slow);
        Assert.Empty(driver.LastRun);

        var next = await driver.RunAsync(3, 50_000, seed: 3, CancellationToken.None);
        Assert.Equal(3, next!.Count);
        Assert.Same(next, driver.LastRun);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => driver.RunAsync(10, 0, 1, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => driver.RunAsync(1_000_000, 1, 1, CancellationToken.None));
    }

    [Fact]
    public async Task A_call_run_starts_calls_with_new_peers_and_leaves_every_lamp_true_to_the_calls()
    {
        var pbx = Create(users: 50, seed: 2);
        foreach (var user in pbx.Users)
        {
            pbx.SetLamp(user.Guid, registered: true, channel: 0, alert: 0);
        }

        var driver = new BenchmarkDriver(pbx);
        var log = await driver.RunCallsAsync(400, perSecond: 50_000, seed: 4, CancellationToken.None);
        var truth = pbx.Truth.Calls;

        Assert.NotNull(log);
        Assert.InRange(log.Count, 400 / 5, 400 / 2);
        Assert.Equal(log.Count, log.Select(call => call.Peer).Distinct().Count());
        var latest = log.GroupBy(call => call.Guid).ToDictionary(calls => calls.Key, calls => calls.Last().Peer);
        foreach (var (guid, legs) in truth)
        {
            Assert.Equal(latest[guid], Assert.Single(legs).Peer);
        }

        Assert.NotEmpty(truth);
        Assert.All(pbx.Users, user => Assert.Equal(truth.GetValueOrDefault(user.Guid)?.Count ?? 0, user.Channel));
        Assert.Same(log, driver.LastCallRun);
    }

    [Fact]
    public void The_board_keeps_a_believable_mix()
    {
        var random = new Random(4);
        var lamp = Lamp.Idle;
        var counts = new int[4];
        for (var i = 0; i < 200_000; i++)
        {
            var next = BenchmarkDriver.NextLamp(lamp, random.NextDouble());
            Assert.NotEqual(lamp, next);
            lamp = next;
            counts[(int)lamp]++;
        }

        Assert.InRange(counts[(int)Lamp.Ringing] / 200_000.0, 0.06, 0.10);
        Assert.InRange(counts[(int)Lamp.Idle] / 200_000.0, 0.38, 0.46);
    }

    [Fact]
    public async Task A_queue_run_fills_the_queues_and_logs_each_change_of_a_queues_count_beside_a_lamp_run()
    {
        var pbx = SimulatedPbxFactory.Create(
            new SimulatorOptions { Users = 40, Seed = 4, Objects = true, Queues = 20 }, new FakeTimeProvider(), NullLogger<SimulatedPbx>.Instance);
        var driver = new BenchmarkDriver(pbx);
        Assert.Equal(20, pbx.Queues.Count);

        // A lamp run under way does not hold the queue run back: both go on at once.
        using var stop = new CancellationTokenSource();
        var lamps = driver.RunAsync(100, perSecond: 1, seed: 1, stop.Token);
        var log = await driver.RunQueuesAsync(60, perSecond: 50_000, seed: 2, callers: 10, CancellationToken.None);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => lamps);

        Assert.NotNull(log);
        Assert.Equal(60, log.Count);
        // The queues in turn, each logged with its count right after the change, which is one caller more or less.
        Assert.Equal(pbx.Queues.Select(queue => queue.Guid).Concat(pbx.Queues.Select(queue => queue.Guid)).Concat(pbx.Queues.Select(queue => queue.Guid)), log.Select(update => update.Guid));
        var first = log.Take(20).Select(update => int.Parse(update.State, System.Globalization.CultureInfo.InvariantCulture));
        Assert.All(first, waiting => Assert.True(waiting is 9 or 11, $"{waiting} callers after one change of 10"));
        Assert.Equal(BenchmarkDriver.QueueCounts(pbx), log.TakeLast(20).ToDictionary(update => update.Guid, update => update.State));
        Assert.All(pbx.Queues, queue => Assert.InRange(queue.Waiting.Count, 5, 15));

        // The lamps a board's tiles show are the people's: the queues, the trunk and the Boolean object have no tile.
        Assert.Equal(40, BenchmarkDriver.Lamps(pbx).Count);
    }

    private static string Token(SimulatedUser user) => s_tokens[(int)LampTransitions.LampOf(user)];

    private static SimulatedPbx Create(int users, int seed) =>
        SimulatedPbxFactory.Create(new SimulatorOptions { Users = users, Seed = seed }, new FakeTimeProvider(), NullLogger<SimulatedPbx>.Instance);
}
