using System.Diagnostics;
using BlfBlazor.PbxSimulator.Core.Model;
using BlfBlazor.PbxSimulator.Core.Scenario;

namespace BlfBlazor.PbxSimulator.Benchmark;

/// <summary>One update the driver announced: the user, the lamp it now shows (as a board's
/// <c>data-state</c> token) and when it was queued to every session, in Unix milliseconds.</summary>
public readonly record struct DrivenUpdate(string Guid, string State, double SentAt);

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

    private int _running;
    private IReadOnlyList<DrivenUpdate> _lastRun = [];

    /// <summary>The log of the latest completed run.</summary>
    public IReadOnlyList<DrivenUpdate> LastRun => Volatile.Read(ref _lastRun);

    /// <summary>
    /// Announces <paramref name="count"/> lamp changes at <paramref name="perSecond"/> and returns
    /// their log; null when another run is under way.
    /// </summary>
    public async Task<IReadOnlyList<DrivenUpdate>?> RunAsync(int count, double perSecond, int seed, CancellationToken ct)
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
            var log = await Task.Run(() => DriveAsync(count, perSecond, seed, ct), ct);
            Volatile.Write(ref _lastRun, log);
            return log;
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    private async Task<IReadOnlyList<DrivenUpdate>> DriveAsync(int count, double perSecond, int seed, CancellationToken ct)
    {
        var guids = pbx.Users.Select(user => user.Guid).ToArray();
        var log = new List<DrivenUpdate>(count);
        if (guids.Length == 0)
        {
            return log;
        }

        var random = new Random(seed);
        var window = Math.Min(RecentWindow, guids.Length / 2);
        var recent = new Queue<string>(window + 1);
        var recentSet = new HashSet<string>(StringComparer.Ordinal);
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
                var guid = Pick(guids, recentSet, random);
                var draw = random.NextDouble();
                var lamp = Lamp.Offline;
                var sentAt = _clock.GetUtcNow().Subtract(DateTimeOffset.UnixEpoch).TotalMilliseconds;
                if (!pbx.TryChange(guid, user => LampTransitions.WithLamp(user, lamp = NextLamp(LampTransitions.LampOf(user), draw)), out _))
                {
                    continue; // deleted meanwhile: nothing was announced
                }

                log.Add(new DrivenUpdate(guid, s_tokens[(int)lamp], sentAt));
                recent.Enqueue(guid);
                recentSet.Add(guid);
                if (recent.Count > window)
                {
                    recentSet.Remove(recent.Dequeue());
                }
            }
        }

        return log;
    }

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

    private static string Pick(string[] guids, HashSet<string> recent, Random random)
    {
        while (true)
        {
            var guid = guids[random.Next(guids.Length)];
            if (!recent.Contains(guid))
            {
                return guid;
            }
        }
    }
}
