using System.Runtime.InteropServices;
using BlfBlazor.State;

namespace BlfBlazor.MissedCalls;

/// <summary>
/// Finds missed calls in the call legs the board monitors (PBXAPIS.md §6): a leg that rang in at a
/// board user and ended without being answered there. Keyed on the user and the call's <c>conf</c>,
/// never the leg's handle (handles die with the socket), so a replayed leg after a reconnect continues
/// the same watch; a leg that was ringing at a reconnect and is not replayed counts as missed. The
/// outcome starts as <c>nobody</c> and improves when another leg of the same call connects.
/// </summary>
/// <remarks>
/// Runs on the PBX loop (through <see cref="MissedCallWatch"/>) for every call frame, so it is built to
/// cost little beside the frame itself: in memory only, never waits, one lookup by the user a frame
/// (their few legs and rings are scanned), and legs, rings and a call's evidence are kept as values in
/// lists and tables that are reused, not as objects made and dropped for each call.
/// </remarks>
/// <param name="forwardsOnNoAnswer">Whether the user has a no-answer diversion (the user table): decides a colleague's answer the PBX gives no reason for.</param>
/// <param name="ownDials">The board's own click-to-call requests: the first ring they cause at the dialling phone is never missed.</param>
internal sealed class MissedCallDetector(IMissedCallSink sink, Func<string, bool> forwardsOnNoAnswer, TimeProvider timeProvider, OwnDials? ownDials = null)
{
    /// <summary>Legs followed at once, and users kept with an empty watch; a board of 1,000 users has far fewer legs up.</summary>
    public const int MaxLegs = 10_000;

    /// <summary>
    /// The clearing cause of a ringing leg whose call went elsewhere (PBXAPIS.md §6.2): answered by someone
    /// the board may not see, so with nothing visible it counts as a colleague's answer, or as forwarded
    /// for a user who forwards on no answer.
    /// </summary>
    public const int NonSelectedUserClearing = 26;

    /// <summary>Recent calls whose evidence is kept: a missed call's outcome a later answer elsewhere may still improve.</summary>
    public const int MaxRecentCalls = 1_000;

    // Every user who had a leg: kept when idle (their lists are reused by the next call), dropped at a resync.
    private readonly Dictionary<string, UserWatch> _users = new(StringComparer.Ordinal);
    private int _legCount;

    // By conf: who missed a call (to upgrade the outcome) and who answered it (for a miss that ends later).
    private readonly Dictionary<string, CallEvidence> _calls = new(StringComparer.Ordinal);
    private readonly Queue<string> _recentKeys = new();

    public void Observe(in CallChange change, int generation)
    {
        if (RepeatsWhatIsKnown(change))
        {
            return;
        }

        if (change.Leg is not { } leg)
        {
            if (_users.TryGetValue(change.Guid, out var left) && left.RemoveLeg(change.Handle) is { } endedKey)
            {
                _legCount--;
                End(change.Guid, left, endedKey, change.Previous?.ClearingCause);
            }

            return;
        }

        if (UserOf(change.Guid) is not { } user)
        {
            return;
        }

        var index = user.LegIndex(change.Handle);
        if (index < 0)
        {
            if (_legCount >= MaxLegs)
            {
                return;
            }

            // Without a conf (a PBX that sends none) the leg is its own call: not kept across a reconnect.
            user.Legs.Add(new LegWatch
            {
                Handle = change.Handle,
                Key = change.Conf ?? $"leg:{change.Handle}:{leg.SinceUnixMs}",
                OwnDial = ownDials?.TakeFirstLeg(change.Guid) == true,
            });
            _legCount++;
            index = user.Legs.Count - 1;
        }

        ref var watch = ref CollectionsMarshal.AsSpan(user.Legs)[index];
        watch.Generation = generation;
        var key = watch.Key;
        var ringIndex = user.RingIndex(key);
        if (ringIndex >= 0)
        {
            ref var ring = ref CollectionsMarshal.AsSpan(user.Rings)[ringIndex];
            ring.Generation = generation;
            ring.Peer = leg.Peer ?? ring.Peer;
        }

        if (leg.Direction == CallDirection.In && leg.Phase == CallPhase.Ringing && ringIndex < 0)
        {
            // A leg replayed after a reconnect that was already counted as missed keeps its first ring.
            var since = MissedBy(change.Guid, key) is { } earlier ? earlier.AtUnixMs : Now();
            user.Rings.Add(new RingWatch { Key = key, FirstSeenUnixMs = since, Peer = leg.Peer, Generation = generation, Own = watch.OwnDial });
        }
        else if (leg.Phase is CallPhase.Talking or CallPhase.Held && !watch.Talked)
        {
            watch.Talked = true;
            if (ringIndex >= 0)
            {
                CollectionsMarshal.AsSpan(user.Rings)[ringIndex].Answered = true;
            }

            sink.Talked(change.Guid, Now());

            // Counted as missed at a reconnect, replayed late, answered after all.
            if (MissedBy(change.Guid, key) is { } wrong)
            {
                _calls[key].Missed!.Remove(wrong);
                sink.NotMissed(change.Guid, key);
            }

            AnsweredElsewhere(key, change.Guid, leg.ViaKind);
        }
    }

    /// <summary>
    /// A new connection's list is complete: legs it did not report again are gone, and a ring among
    /// them that nobody answered here is missed (PBXAPIS.md §6.3). Users left without a leg are dropped.
    /// </summary>
    public void Resynced(int generation)
    {
        var now = Now();
        foreach (var (guid, user) in _users.ToList())
        {
            _legCount -= user.Legs.RemoveAll(leg => leg.Generation != generation);
            foreach (var ring in user.Rings.Where(ring => ring.Generation != generation).ToList())
            {
                End(guid, user, ring.Key, cause: null, now);
            }

            if (user.Legs.Count == 0 && user.Rings.Count == 0)
            {
                _users.Remove(guid);
            }
        }
    }

    /// <summary>
    /// A frame of a leg this connection already reported that neither starts a ring, brings a ringing
    /// call's caller, nor connects it for the first time: most of a call's frames (alerting, hold,
    /// retrieve, release) change nothing followed here. Within one connection the generation is the
    /// same, so skipping them loses nothing; a reconnect's replayed legs are all new to it.
    /// </summary>
    private static bool RepeatsWhatIsKnown(in CallChange change) =>
        change is { Previous: { } previous, Leg: { } leg }
        && (leg.Phase == CallPhase.Ringing
            ? previous.Phase == CallPhase.Ringing && Equals(leg.Peer, previous.Peer)
            : leg.Phase is not (CallPhase.Talking or CallPhase.Held) || previous.Phase is CallPhase.Talking or CallPhase.Held);

    private long Now() => timeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>The user's watch; a new one only while the number kept is within the bound (idle ones make room).</summary>
    private UserWatch? UserOf(string guid)
    {
        if (_users.TryGetValue(guid, out var user))
        {
            return user;
        }

        if (_users.Count >= MaxLegs)
        {
            foreach (var (idle, _) in _users.Where(kept => kept.Value.Legs.Count == 0 && kept.Value.Rings.Count == 0).ToList())
            {
                _users.Remove(idle);
            }

            if (_users.Count >= MaxLegs)
            {
                return null;
            }
        }

        _users[guid] = user = new UserWatch();
        return user;
    }

    /// <param name="cause">The leg's last clearing cause, when its end says it.</param>
    /// <param name="now">When it ended; read from the clock only for a ring that is missed.</param>
    private void End(string guid, UserWatch user, string key, int? cause, long? now = null)
    {
        // Another leg of this user in the same call may still be up (e.g. a transfer back): the ring ends with the last.
        if (user.HasLegIn(key) || user.TakeRing(key) is not { } ring || ring.Answered || ring.Own)
        {
            return;
        }

        ref var evidence = ref Evidence(key);
        var outcome = evidence.AnsweredBy is { } answeredBy && answeredBy != guid ? Outcome(guid, evidence.AnsweredVia)
            : cause == NonSelectedUserClearing ? Outcome(guid, CallVia.None)
            : MissedOutcome.Nobody;
        var missed = new MissedCall(guid, key, ring.FirstSeenUnixMs, Math.Max(0, (now ?? Now()) - ring.FirstSeenUnixMs), ring.Peer, outcome);
        var calls = evidence.Missed ??= [];
        calls.RemoveAll(call => call.UserGuid == guid);
        calls.Add(missed);
        sink.Missed(missed);
    }

    /// <summary>A leg of this call connected at <paramref name="guid"/>: others who missed it learn what became of it.</summary>
    private void AnsweredElsewhere(string key, string guid, CallVia via)
    {
        ref var evidence = ref Evidence(key);
        evidence.AnsweredBy = guid;
        evidence.AnsweredVia = via;
        if (evidence.Missed is not { } calls)
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

    private MissedCall? MissedBy(string guid, string key)
    {
        if (!_calls.TryGetValue(key, out var evidence) || evidence.Missed is not { } calls)
        {
            return null;
        }

        foreach (var call in calls)
        {
            if (call.UserGuid == guid)
            {
                return call;
            }
        }

        return null;
    }

    /// <summary>The call's evidence, kept for the last <see cref="MaxRecentCalls"/> calls only.</summary>
    private ref CallEvidence Evidence(string key)
    {
        // The oldest goes before the new one is added: the reference returned stays valid.
        if (_recentKeys.Count >= MaxRecentCalls && !_calls.ContainsKey(key) && _recentKeys.TryDequeue(out var oldest))
        {
            _calls.Remove(oldest);
        }

        ref var evidence = ref CollectionsMarshal.GetValueRefOrAddDefault(_calls, key, out var known);
        if (!known)
        {
            _recentKeys.Enqueue(key);
        }

        return ref evidence;
    }

    /// <summary>One user's legs and undecided rings: a handful at most, so scanned rather than hashed.</summary>
    private sealed class UserWatch
    {
        public List<LegWatch> Legs { get; } = [];

        public List<RingWatch> Rings { get; } = [];

        public int LegIndex(uint handle)
        {
            var legs = CollectionsMarshal.AsSpan(Legs);
            for (var i = 0; i < legs.Length; i++)
            {
                if (legs[i].Handle == handle)
                {
                    return i;
                }
            }

            return -1;
        }

        public bool HasLegIn(string key) => Legs.Exists(leg => leg.Key == key);

        /// <summary>Removes the leg and gives its call's key; null when the leg was not followed.</summary>
        public string? RemoveLeg(uint handle)
        {
            var index = LegIndex(handle);
            if (index < 0)
            {
                return null;
            }

            var key = Legs[index].Key;
            Legs.RemoveAt(index);
            return key;
        }

        public int RingIndex(string key)
        {
            var rings = CollectionsMarshal.AsSpan(Rings);
            for (var i = 0; i < rings.Length; i++)
            {
                if (rings[i].Key == key)
                {
                    return i;
                }
            }

            return -1;
        }

        public RingWatch? TakeRing(string key)
        {
            var index = RingIndex(key);
            if (index < 0)
            {
                return null;
            }

            var ring = Rings[index];
            Rings.RemoveAt(index);
            return ring;
        }
    }

    private struct LegWatch
    {
        public uint Handle;
        public string Key;
        public bool Talked;
        public int Generation;

        /// <summary>The first leg after the board asked this phone to dial: its ring is the dial's (<see cref="OwnDials"/>).</summary>
        public bool OwnDial;
    }

    private struct RingWatch
    {
        public string Key;
        public long FirstSeenUnixMs;
        public CallPeer? Peer;
        public bool Answered;
        public int Generation;

        /// <summary>The ring of the board's own click-to-call at this phone (<see cref="OwnDials"/>): never missed.</summary>
        public bool Own;
    }

    /// <summary>What is known of one call across its users.</summary>
    private struct CallEvidence
    {
        public List<MissedCall>? Missed;
        public string? AnsweredBy;
        public CallVia AnsweredVia;
    }
}
