using BlfBlazor.State;

namespace BlfBlazor.MissedCalls;

/// <summary>
/// Finds missed calls in the call legs the board monitors (PBXAPIS.md §6): a leg that rang in at a
/// board user and ended without being answered there. Keyed on the user and the call's <c>conf</c>,
/// never the leg's handle (handles die with the socket), so a replayed leg after a reconnect continues
/// the same watch; a leg that was ringing at a reconnect and is not replayed counts as missed. The
/// outcome starts as <c>nobody</c> and improves when another leg of the same call connects.
/// </summary>
/// <remarks>Runs on the PBX loop (through <see cref="MissedCallWatch"/>): in-memory only, never waits.</remarks>
/// <param name="forwardsOnNoAnswer">Whether the user has a no-answer diversion (the user table): decides a colleague's answer the PBX gives no reason for.</param>
internal sealed class MissedCallDetector(IMissedCallSink sink, Func<string, bool> forwardsOnNoAnswer, TimeProvider timeProvider)
{
    /// <summary>Legs followed at once; a board of 1,000 users has far fewer legs up.</summary>
    public const int MaxLegs = 10_000;

    /// <summary>Recent missed calls whose outcome a later answer elsewhere may still improve.</summary>
    public const int MaxRecentCalls = 1_000;

    private readonly Dictionary<(string Guid, uint Handle), LegWatch> _legs = [];

    // How many of a user's legs each call has up: a ring ends with the last (without a scan of every leg per leg's end).
    private readonly Dictionary<(string Guid, string Key), int> _legsPerCall = [];
    private readonly Dictionary<(string Guid, string Key), RingWatch> _rings = [];

    // By conf: missed calls that may be upgraded, and who answered a call (for a miss that ends later).
    private readonly Dictionary<string, List<MissedCall>> _missedByKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Guid, CallVia Via)> _answeredByKey = new(StringComparer.Ordinal);
    private readonly Queue<string> _recentKeys = new();

    public void Observe(in CallChange change, int generation)
    {
        var now = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        var id = (change.Guid, change.Handle);
        if (change.Leg is not { } leg)
        {
            if (_legs.Remove(id, out var ended))
            {
                Forget(change.Guid, ended.Key);
                End(change.Guid, ended.Key, now);
            }

            return;
        }

        if (!_legs.TryGetValue(id, out var watch))
        {
            if (_legs.Count >= MaxLegs)
            {
                return;
            }

            // Without a conf (a PBX that sends none) the leg is its own call: not kept across a reconnect.
            watch = new LegWatch(change.Conf ?? $"leg:{change.Handle}:{leg.SinceUnixMs}");
            _legs[id] = watch;
            var call = (change.Guid, watch.Key);
            _legsPerCall[call] = _legsPerCall.GetValueOrDefault(call) + 1;
        }

        watch.Generation = generation;
        var ringKey = (change.Guid, watch.Key);
        _rings.TryGetValue(ringKey, out var ring);
        if (ring is not null)
        {
            ring.Generation = generation;
            ring.Peer = leg.Peer ?? ring.Peer;
        }

        if (leg.Direction == CallDirection.In && leg.Phase == CallPhase.Ringing && ring is null)
        {
            // A leg replayed after a reconnect that was already counted as missed keeps its first ring.
            var since = MissedBy(change.Guid, watch.Key) is { } earlier ? earlier.AtUnixMs : now;
            _rings[ringKey] = new RingWatch(since, leg.Peer) { Generation = generation };
        }
        else if (leg.Phase is CallPhase.Talking or CallPhase.Held && !watch.Talked)
        {
            watch.Talked = true;
            ring?.Answered = true;
            sink.Talked(change.Guid, now);

            // Counted as missed at a reconnect, replayed late, answered after all.
            if (MissedBy(change.Guid, watch.Key) is { } wrong)
            {
                _missedByKey[watch.Key].Remove(wrong);
                sink.NotMissed(change.Guid, watch.Key);
            }

            AnsweredElsewhere(watch.Key, change.Guid, leg.ViaKind);
        }
    }

    /// <summary>
    /// A new connection's list is complete: legs it did not report again are gone, and a ring among
    /// them that nobody answered here is missed (PBXAPIS.md §6.3).
    /// </summary>
    public void Resynced(int generation)
    {
        var now = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var (id, watch) in _legs.Where(leg => leg.Value.Generation != generation).ToList())
        {
            _legs.Remove(id);
            Forget(id.Guid, watch.Key);
        }

        foreach (var ((guid, key), _) in _rings.Where(ring => ring.Value.Generation != generation).ToList())
        {
            End(guid, key, now);
        }
    }

    private void End(string guid, string key, long now)
    {
        // Another leg of this user in the same call may still be up (e.g. a transfer back): the ring ends with the last.
        if (_legsPerCall.ContainsKey((guid, key)) || !_rings.Remove((guid, key), out var ring) || ring.Answered)
        {
            return;
        }

        var outcome = _answeredByKey.TryGetValue(key, out var answered) && answered.Guid != guid ? Outcome(guid, answered.Via) : MissedOutcome.Nobody;
        var missed = new MissedCall(guid, key, ring.FirstSeenUnixMs, Math.Max(0, now - ring.FirstSeenUnixMs), ring.Peer, outcome);
        Remember(key);
        if (!_missedByKey.TryGetValue(key, out var calls))
        {
            _missedByKey[key] = calls = [];
        }

        calls.RemoveAll(call => call.UserGuid == guid);
        calls.Add(missed);
        sink.Missed(missed);
    }

    /// <summary>One of the user's legs of the call is gone.</summary>
    private void Forget(string guid, string key)
    {
        var call = (guid, key);
        if (_legsPerCall.TryGetValue(call, out var legs) && legs > 1)
        {
            _legsPerCall[call] = legs - 1;
        }
        else
        {
            _legsPerCall.Remove(call);
        }
    }

    /// <summary>A leg of this call connected at <paramref name="guid"/>: others who missed it learn what became of it.</summary>
    private void AnsweredElsewhere(string key, string guid, CallVia via)
    {
        Remember(key);
        _answeredByKey[key] = (guid, via);
        if (!_missedByKey.TryGetValue(key, out var calls))
        {
            return;
        }

        for (var i = 0; i < calls.Count; i++)
        {
            var outcome = Outcome(calls[i].UserGuid, via);
            if (calls[i].UserGuid != guid && calls[i].Outcome != outcome)
            {
                calls[i] = calls[i] with { Outcome = outcome };
                sink.Missed(calls[i]);
            }
        }
    }

    /// <summary>
    /// What became of a call another user answered (PBXAPIS.md §6.2): their leg names the diverting
    /// user (<c>leg2</c>) or a pickup; without a reason (the whole-PBX feed sends no <c>no</c>), a user
    /// who forwards on no answer had it forwarded, anyone else had it taken by a colleague.
    /// </summary>
    private MissedOutcome Outcome(string missedBy, CallVia answeredVia) => answeredVia switch
    {
        CallVia.Diverted => MissedOutcome.Forwarded,
        CallVia.PickedUp => MissedOutcome.Colleague,
        _ => forwardsOnNoAnswer(missedBy) ? MissedOutcome.Forwarded : MissedOutcome.Colleague,
    };

    private MissedCall? MissedBy(string guid, string key) =>
        _missedByKey.TryGetValue(key, out var calls) ? calls.Find(call => call.UserGuid == guid) : null;

    /// <summary>Keeps the evidence of the last <see cref="MaxRecentCalls"/> calls only.</summary>
    private void Remember(string key)
    {
        if (_missedByKey.ContainsKey(key) || _answeredByKey.ContainsKey(key))
        {
            return;
        }

        _recentKeys.Enqueue(key);
        while (_recentKeys.Count > MaxRecentCalls && _recentKeys.TryDequeue(out var oldest))
        {
            _missedByKey.Remove(oldest);
            _answeredByKey.Remove(oldest);
        }
    }

    private sealed class LegWatch(string key)
    {
        public string Key { get; } = key;

        public bool Talked { get; set; }

        public int Generation { get; set; }
    }

    private sealed class RingWatch(long firstSeenUnixMs, CallPeer? peer)
    {
        public long FirstSeenUnixMs { get; } = firstSeenUnixMs;

        public CallPeer? Peer { get; set; } = peer;

        public bool Answered { get; set; }

        public int Generation { get; set; }
    }
}
