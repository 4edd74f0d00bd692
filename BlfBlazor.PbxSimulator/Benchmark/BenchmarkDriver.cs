using System.Diagnostics;
using System.Globalization;
using BlfBlazor.PbxSimulator.Core.Model;
using BlfBlazor.PbxSimulator.Core.Scenario;

namespace BlfBlazor.PbxSimulator.Benchmark;

/// <summary>One update the driver announced: the user, the lamp it now shows (as a board's
/// <c>data-state</c> token) and when it was queued to every session, in Unix milliseconds.</summary>
public readonly record struct DrivenUpdate(string Guid, string State, double SentAt);

/// <summary>A call the driver started: the user it rings at, the peer its tile must show, and when it was announced (Unix ms).</summary>
public readonly record struct DrivenCall(string Guid, string Peer, double SentAt);

/// <summary>
/// The benchmark's update driver: changes lamps at a fixed rate, deterministically for a seed, and
/// logs when each change was handed to the sessions, so a viewer can measure how long it took to
/// reach its screen. Every update changes the lamp, and a user is not picked again until
/// <see cref="RecentWindow"/> other users have been, so each update is visible on its own even to a
/// board that coalesces bursts. The new lamp is drawn from the other three in proportion to the mix a
/// PBX shows (offline 15, idle 60, ringing 5, busy 20), so the board keeps looking like a real one
/// (it settles at about 22 % offline, 42 % idle, 8 % ringing, 28 % busy).
/// </summary>
/// <param name="clock">Stamps each update's send time; the system clock unless a test gives its own.</param>
public sealed class BenchmarkDriver(SimulatedPbx pbx, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>How many of the latest updated users a pick avoids (at most half of all users).</summary>
    public const int RecentWindow = 200;

    /// <summary>The longest run one call may ask for.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromMinutes(10);

    private static readonly string[] s_tokens = ["offline", "idle", "ringing", "busy"]; // indexed by Lamp
    private static readonly double[] s_weights = [0.15, 0.60, 0.05, 0.20]; // indexed by Lamp

    /// <summary>The most callers a queue run may keep waiting per queue.</summary>
    public const int MostCallersPerQueue = 50;

    private int _running;
    private int _queuesRunning;
    private IReadOnlyList<DrivenUpdate> _lastRun = [];
    private IReadOnlyList<DrivenCall> _lastCallRun = [];

    /// <summary>The log of the latest completed run.</summary>
    public IReadOnlyList<DrivenUpdate> LastRun => Volatile.Read(ref _lastRun);

    /// <summary>The calls the latest completed call run started.</summary>
    public IReadOnlyList<DrivenCall> LastCallRun => Volatile.Read(ref _lastCallRun);

    /// <summary>
    /// Announces <paramref name="count"/> lamp changes at <paramref name="perSecond"/> and returns
    /// their log; null when another run is under way.
    /// </summary>
    public async Task<IReadOnlyList<DrivenUpdate>?> RunAsync(int count, double perSecond, int seed, CancellationToken ct)
    {
        var log = await RunExclusiveAsync(count, perSecond, () => LampSteps(seed), ct);
        if (log is not null)
        {
            Volatile.Write(ref _lastRun, log);
        }

        return log;
    }

    /// <summary>
    /// Performs <paramref name="count"/> call operations at <paramref name="perSecond"/>: each picked
    /// user in turn gets an outside call (from a number new in this run), answers it, holds it,
    /// retrieves it and hangs up, which is 7 CallInfo per call. Returns the calls started, each with
    /// the peer a tile must show and when it was announced; null when another run is under way.
    /// </summary>
    public async Task<IReadOnlyList<DrivenCall>?> RunCallsAsync(int count, double perSecond, int seed, CancellationToken ct)
    {
        var log = await RunExclusiveAsync(count, perSecond, () => CallSteps(seed), ct);
        if (log is not null)
        {
            Volatile.Write(ref _lastCallRun, log);
        }

        return log;
    }

    private async Task<IReadOnlyList<T>?> RunExclusiveAsync<T>(int count, double perSecond, Func<Func<T?>?> steps, CancellationToken ct)
        where T : struct
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (!(perSecond > 0) || double.IsInfinity(perSecond) || count / perSecond > MaxDuration.TotalSeconds)
        {
            throw new ArgumentOutOfRangeException(nameof(perSecond), perSecond, $"The rate must be positive and the run at most {MaxDuration.TotalMinutes:0} minutes long.");
        }

        if (Interlocked.Exchange(ref _running, 1) != 0)
        {
            return null;
        }

        try
        {
            // Off the request's thread: the pacing loop should not share it with Kestrel's I/O.
            return await Task.Run(() => PaceAsync(count, perSecond, steps(), ct), ct);
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    /// <summary>Calls <paramref name="step"/> <paramref name="count"/> times at the rate, logging what it returns; nothing when there is no step.</summary>
    private static async Task<IReadOnlyList<T>> PaceAsync<T>(int count, double perSecond, Func<T?>? step, CancellationToken ct)
        where T : struct
    {
        var log = new List<T>(count);
        if (step is null)
        {
            return log;
        }

        var start = Stopwatch.GetTimestamp();
        for (var sent = 0; sent < count;)
        {
            var due = TimeSpan.FromSeconds(sent / perSecond) - Stopwatch.GetElapsedTime(start);
            if (due > TimeSpan.FromMilliseconds(0.5))
            {
                await Task.Delay(due, ct);
            }

            // Everything due by now goes out (more than one per wake-up only at high rates).
            var dueCount = Math.Min(count, (int)(Stopwatch.GetElapsedTime(start).TotalSeconds * perSecond) + 1);
            for (; sent < dueCount; sent++)
            {
                if (step() is { } entry)
                {
                    log.Add(entry);
                }
            }
        }

        return log;
    }

    /// <summary>One lamp change per step; null when there are no users.</summary>
    private Func<DrivenUpdate?>? LampSteps(int seed)
    {
        var guids = pbx.Users.Where(user => user.IsPerson).Select(user => user.Guid).ToArray();
        if (guids.Length == 0)
        {
            return null;
        }

        var random = new Random(seed);
        var recent = new RecentUsers(guids, random);
        return () =>
        {
            var guid = recent.Pick();
            var draw = random.NextDouble();
            var lamp = Lamp.Offline;
            var sentAt = SentAt();
            if (!pbx.TryChange(guid, user => LampTransitions.WithLamp(user, lamp = NextLamp(LampTransitions.LampOf(user), draw)), out _))
            {
                return null; // deleted meanwhile, or in a call (its lamp follows the call): nothing was announced
            }

            return new DrivenUpdate(guid, s_tokens[(int)lamp], sentAt);
        };
    }

    /// <summary>
    /// Changes the waiting queues <paramref name="count"/> times at <paramref name="perSecond"/>: first each queue is
    /// filled to <paramref name="callers"/> waiting (not logged), then each step takes the queues in turn and a caller
    /// arrives or the newest gives up (the longest waiting rings at the agents; they are left alone), so a queue's count walks between half and one and a half times
    /// <paramref name="callers"/>. Logs each step as (queue guid, callers waiting now, send time). Runs beside a lamp
    /// run (its own lock), so a benchmark changes both at once; null when another queue run is under way.
    /// </summary>
    public async Task<IReadOnlyList<DrivenUpdate>?> RunQueuesAsync(int count, double perSecond, int seed, int callers, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(callers);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(callers, MostCallersPerQueue);
        if (!(perSecond > 0) || double.IsInfinity(perSecond) || count / perSecond > MaxDuration.TotalSeconds)
        {
            throw new ArgumentOutOfRangeException(nameof(perSecond), perSecond, $"The rate must be positive and the run at most {MaxDuration.TotalMinutes:0} minutes long.");
        }

        if (Interlocked.Exchange(ref _queuesRunning, 1) != 0)
        {
            return null;
        }

        try
        {
            return await Task.Run(() => PaceAsync(count, perSecond, QueueSteps(seed, callers), ct), ct);
        }
        finally
        {
            Volatile.Write(ref _queuesRunning, 0);
        }
    }

    /// <summary>One queue change per step, the queues in turn; null when the PBX has no queue.</summary>
    private Func<DrivenUpdate?>? QueueSteps(int seed, int callers)
    {
        var queues = pbx.Queues.Select(queue => queue.Guid).ToArray();
        if (queues.Length == 0)
        {
            return null;
        }

        var random = new Random(seed);
        var number = 0;
        string Caller() => string.Create(CultureInfo.InvariantCulture, $"00{180_000_000 + (seed % 100 * 1_000_000) + number++}");
        foreach (var guid in queues)
        {
            for (var waiting = Waiting(guid); waiting < callers; waiting++)
            {
                pbx.StartQueueCall(guid, Caller());
            }
        }

        var next = 0;
        return () =>
        {
            var guid = queues[next++ % queues.Length];
            var waiting = pbx.Queues.First(queue => queue.Guid == guid).Waiting;
            var sentAt = SentAt();
            var arrive = waiting.Count <= callers / 2 || (waiting.Count < callers + (callers / 2) && random.NextDouble() < 0.5);
            if (arrive)
            {
                pbx.StartQueueCall(guid, Caller());
            }
            else
            {
                // The newest caller gives up: the longest waiting, who rings at the agents, stays, so the run
                // changes the queue's card alone and no agent's tile (whose cost is a lamp change's).
                pbx.AbandonQueueCall(waiting[^1].Call);
            }

            return new DrivenUpdate(guid, Waiting(guid).ToString(CultureInfo.InvariantCulture), sentAt);
        };
    }

    private int Waiting(string queueGuid) => pbx.Queues.First(queue => queue.Guid == queueGuid).Waiting.Count;

    /// <summary>Every waiting queue's callers waiting now, as a card's <c>data-queue-waiting</c>, by guid.</summary>
    public static IReadOnlyDictionary<string, string> QueueCounts(SimulatedPbx pbx) =>
        pbx.Queues.ToDictionary(queue => queue.Guid, queue => queue.Waiting.Count.ToString(CultureInfo.InvariantCulture), StringComparer.Ordinal);

    /// <summary>One call operation per step (start, answer, hold, retrieve, hang up); logs the starts. Null when there are no users.</summary>
    private Func<DrivenCall?>? CallSteps(int seed)
    {
        var guids = pbx.Users.Where(user => user.IsPerson).Select(user => user.Guid).ToArray();
        if (guids.Length == 0)
        {
            return null;
        }

        var recent = new RecentUsers(guids, new Random(seed));
        var calls = new Dictionary<string, (int Leg, int Done)>(StringComparer.Ordinal);
        var started = 0;
        return () =>
        {
            var guid = recent.Pick();
            if (!calls.TryGetValue(guid, out var call))
            {
                var peer = string.Create(CultureInfo.InvariantCulture, $"00{170_000_000 + (seed % 100 * 1_000_000) + started++}");
                var sentAt = SentAt();
                try
                {
                    calls[guid] = (pbx.StartIncomingExternalCall(guid, peer).CalleeLeg, 0);
                }
                catch (KeyNotFoundException)
                {
                    return null; // deleted meanwhile
                }

                return new DrivenCall(guid, peer, sentAt);
            }

            var going = call.Done switch
            {
                0 => pbx.Answer(call.Leg),
                1 => pbx.Hold(call.Leg),
                2 => pbx.Retrieve(call.Leg),
                _ => false,
            };
            if (going)
            {
                calls[guid] = call with { Done = call.Done + 1 };
            }
            else
            {
                pbx.HangUp(call.Leg);
                calls.Remove(guid);
            }

            return null;
        };
    }

    /// <summary>Every person's lamp as a board's <c>data-state</c> token, by guid: what a correct board's tiles show now (objects get no tile).</summary>
    public static IReadOnlyDictionary<string, string> Lamps(SimulatedPbx pbx) =>
        pbx.Users.Where(user => user.IsPerson).ToDictionary(user => user.Guid, user => s_tokens[(int)LampTransitions.LampOf(user)], StringComparer.Ordinal);

    private double SentAt() => _clock.GetUtcNow().Subtract(DateTimeOffset.UnixEpoch).TotalMilliseconds;

    /// <summary>One of the three other lamps, in proportion to their weights; <paramref name="draw"/> in [0, 1).</summary>
    internal static Lamp NextLamp(Lamp current, double draw)
    {
        var left = draw * (1 - s_weights[(int)current]);
        var next = current;
        for (var lamp = 0; lamp < s_weights.Length; lamp++)
        {
            if (lamp == (int)current)
            {
                continue;
            }

            next = (Lamp)lamp;
            left -= s_weights[lamp];
            if (left < 0)
            {
                break;
            }
        }

        return next; // the last other lamp, should rounding leave a remainder
    }

    /// <summary>Picks users at random, never one of the latest <see cref="RecentWindow"/> (at most half of all), so each change is visible on its own.</summary>
    private sealed class RecentUsers(string[] guids, Random random)
    {
        private readonly int _window = Math.Min(RecentWindow, guids.Length / 2);
        private readonly Queue<string> _recent = new();
        private readonly HashSet<string> _recentSet = new(StringComparer.Ordinal);

        public string Pick()
        {
            string guid;
            do
            {
                guid = guids[random.Next(guids.Length)];
            }
            while (_recentSet.Contains(guid));

            _recent.Enqueue(guid);
            _recentSet.Add(guid);
            if (_recent.Count > _window)
            {
                _recentSet.Remove(_recent.Dequeue());
            }

            return guid;
        }
    }
}
