using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BlfBlazor.State;

namespace BlfBlazor.MissedCalls;

/// <summary>
/// Finds missed calls in the call legs the board monitors (PBXAPIS.md §6): a leg that rang in at a
/// board user and ended without being answered there. Keyed on the user and the call's <c>conf</c>,
/// never the leg's handle (handles die with the socket), so a replayed leg after a reconnect continues
/// the same ring; a leg that was ringing at a reconnect and is not replayed counts as missed. The
/// outcome starts as <c>nobody</c> (or what the leg's clearing cause says) and improves when another
/// leg of the same call connects.
/// </summary>
/// <remarks>
/// Runs on the PBX loop (through <see cref="MissedCallWatch"/>) for every call frame, so it keeps no
/// state of its own per leg: the leg itself says whether it rang in and was answered
/// (<see cref="CallLeg.RangSinceUnixMs"/>, <see cref="CallLeg.Answered"/>), and its end comes with the
/// leg as last described (<see cref="CallChange.Previous"/>). Most frames cost a comparison. A call's
/// first answer is written to a ring of recent answers and looks for evidence only if someone missed the
/// call; an unanswered ring's end keeps the call's evidence (the last <see cref="MaxRecentCalls"/> missed
/// calls). Only rings open at a reconnect are remembered here, from the board's own calls (<see cref="Reconnecting"/>).
/// </remarks>
/// <param name="forwardsOnNoAnswer">Whether the user has a no-answer diversion (the user table): decides a colleague's answer the PBX gives no reason for.</param>
/// <param name="ownDials">The board's own click-to-call requests: the first ring they cause at the dialling phone is never missed.</param>
internal sealed class MissedCallDetector(IMissedCallSink sink, Func<string, bool> forwardsOnNoAnswer, TimeProvider timeProvider, OwnDials? ownDials = null)
{
    /// <summary>Rings followed across a reconnect, and legs of the board's own dials; the board's own calls bound both.</summary>
    public const int MaxLegs = 10_000;

    /// <summary>
    /// The clearing cause of a ringing leg whose call went elsewhere (PBXAPIS.md §6.2): answered by someone
    /// the board may not see, so with nothing visible it counts as a colleague's answer, or as forwarded
    /// for a user who forwards on no answer.
    /// </summary>
    public const int NonSelectedUserClearing = 26;

    /// <summary>Recent missed calls whose evidence is kept: an outcome a later answer elsewhere may still improve.</summary>
    public const int MaxRecentCalls = 1_000;

    /// <summary>
    /// Recent answers remembered for a ring of the same call that ends after it: another member of a group
    /// the PBX clears once one answers, within moments.
    /// </summary>
    public const int RecentAnswers = 256;

    // By conf, for calls someone missed: who (to upgrade the outcome) and who answered it. Keyed with the
    // conf's hash beside it, so forgetting an old call does not read its (long cold) string.
    private readonly Dictionary<ConfKey, CallEvidence> _calls = new(ConfKey.Comparer);
    private readonly Queue<ConfKey> _recentKeys = new();

    // The last answers, in a ring, with the confs' hashes apart: an answer costs two writes and a miss a
    // scan of a kilobyte, where keeping every answered call's evidence cost two dictionary changes a call.
    private readonly int[] _answerHashes = new int[RecentAnswers];
    private readonly RecentAnswer[] _answers = new RecentAnswer[RecentAnswers];
    private int _nextAnswer;

    // Rings open when the connection was lost: missed unless the new connection replays them. When it does,
    // the replayed leg keeps the first ring's time until it ends.
    private readonly Dictionary<(string Guid, string Key), OpenRing> _notReplayed = [];
    private readonly Dictionary<(string Guid, string Key), OpenRing> _replayed = [];

    // Legs that are the board's own dial (OwnDials), usually none.
    private readonly HashSet<(string Guid, uint Handle)> _ownLegs = [];

    public void Observe(in CallChange change)
    {
        if (change.Leg is { } leg)
        {
            if (change.Previous is null)
            {
                FirstSight(change, leg);
            }

            // A call's first answer here: the user's last call, and evidence for everyone who missed it.
            if (leg.Answered && change.Previous?.Answered != true)
            {
                Answered(change.Guid, KeyOf(leg), leg.ViaKind);
            }

            return;
        }

        if (change.Previous is not { } last)
        {
            return; // a leg never reported on this connection: nothing to decide
        }

        var own = _ownLegs.Count > 0 && _ownLegs.Remove((change.Guid, change.Handle));
        if (last is { Direction: CallDirection.In, RangSinceUnixMs: { } rang, Answered: false } && !own)
        {
            Missed(change.Guid, KeyOf(last), rang, last.Peer, last.ClearingCause, Now());
            ForgetOldCalls();
        }
    }

    /// <summary>
    /// The connection is being replaced: the rings open now (on the board's calls, still as the old
    /// connection left them) are missed unless the new one replays them before its list completes.
    /// </summary>
    public void Reconnecting(DirectorySnapshot board)
    {
        foreach (var user in board.Users)
        {
            foreach (var leg in user.Activity?.Calls ?? [])
            {
                if (leg is { Direction: CallDirection.In, RangSinceUnixMs: { } rang, Answered: false } && _notReplayed.Count < MaxLegs)
                {
                    _notReplayed[(user.Guid, KeyOf(leg))] = new OpenRing(rang, leg.Peer);
                }
            }
        }
    }

    /// <summary>
    /// A new connection's list is complete: a ring open at the reconnect that it did not replay is
    /// missed, by nobody (PBXAPIS.md §6.3).
    /// </summary>
    public void Resynced()
    {
        var now = Now();
        foreach (var ((guid, key), ring) in _notReplayed)
        {
            Missed(guid, key, ring.SinceUnixMs, ring.Peer, cause: null, now);
        }

        _notReplayed.Clear();
        ForgetOldCalls();
    }

    // Without a conf (a PBX that sends none) the leg is its own call: not kept across a reconnect.
    private static string KeyOf(CallLeg leg) => leg.Conf ?? $"leg:{leg.Handle}:{leg.SinceUnixMs}";

    private long Now() => timeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>A leg new to this connection: the board's own dial, or a ring replayed after a reconnect.</summary>
    private void FirstSight(in CallChange change, CallLeg leg)
    {
        if (ownDials?.TakeFirstLeg(change.Guid) == true && _ownLegs.Count < MaxLegs)
        {
            _ = _ownLegs.Add((change.Guid, change.Handle));
        }

        if (_notReplayed.Count == 0)
        {
            return;
        }

        var call = (change.Guid, KeyOf(leg));
        if (_notReplayed.Remove(call, out var ring) && _replayed.Count < MaxLegs)
        {
            _replayed[call] = ring;
        }
    }

    private void Answered(string guid, string key, CallVia via)
    {
        sink.Talked(guid);
        if (_replayed.Count > 0)
        {
            _ = _replayed.Remove((guid, key));
        }

        var call = new ConfKey(key);
        _answerHashes[_nextAnswer] = call.Hash;
        _answers[_nextAnswer] = new RecentAnswer(call.Conf, guid, via);
        _nextAnswer = (_nextAnswer + 1) % RecentAnswers;

        // Only a call someone missed has evidence: a miss counted here to correct, others' outcomes to better.
        ref var evidence = ref CollectionsMarshal.GetValueRefOrNullRef(_calls, call);
        if (Unsafe.IsNullRef(ref evidence))
        {
            return;
        }

        // Counted as missed at a reconnect (or on another leg of the call), answered here after all.
        var wrong = evidence.Missed.IndexOf(guid);
        if (wrong >= 0)
        {
            evidence.Missed.RemoveAt(wrong);
            sink.NotMissed(guid, key);
        }

        evidence.AnsweredBy = guid;
        evidence.AnsweredVia = via;
        for (var i = 0; i < evidence.Missed.Count; i++)
        {
            var missed = evidence.Missed[i];
            var outcome = Outcome(missed.UserGuid, via);
            if (missed.UserGuid != guid && missed.Outcome != outcome)
            {
                evidence.Missed[i] = missed with { Outcome = outcome };
                sink.Missed(evidence.Missed[i]);
            }
        }
    }

    /// <param name="rangSinceUnixMs">When this leg began to ring; a ring replayed after a reconnect, or already missed on another leg of the call, keeps its first.</param>
    /// <param name="cause">The leg's last clearing cause, when the PBX gave one.</param>
    private void Missed(string guid, string key, long rangSinceUnixMs, CallPeer? peer, int? cause, long now)
    {
        var call = new ConfKey(key);
        ref var evidence = ref Evidence(call);
        if (evidence.AnsweredBy is null && LastAnswer(call) is { } answer)
        {
            evidence.AnsweredBy = answer.Guid;
            evidence.AnsweredVia = answer.Via;
        }

        if (evidence.AnsweredBy == guid)
        {
            return; // answered here on another leg of the same call
        }

        var since = rangSinceUnixMs;
        if (_replayed.Count > 0 && _replayed.Remove((guid, key), out var replayed))
        {
            since = Math.Min(since, replayed.SinceUnixMs);
            peer ??= replayed.Peer;
        }

        var earlier = evidence.Missed.IndexOf(guid);
        if (earlier >= 0)
        {
            since = Math.Min(since, evidence.Missed[earlier].AtUnixMs);
        }

        var outcome = evidence.AnsweredBy is not null ? Outcome(guid, evidence.AnsweredVia)
            : cause == NonSelectedUserClearing ? Outcome(guid, CallVia.None)
            : MissedOutcome.Nobody;
        var missed = new MissedCall(guid, key, since, Math.Max(0, now - since), peer, outcome);
        if (earlier >= 0)
        {
            evidence.Missed[earlier] = missed;
        }
        else
        {
            evidence.Missed.Add(missed);
        }

        sink.Missed(missed);
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

    /// <summary>The newest answer of the call among the recent ones; null if none is remembered.</summary>
    /// <remarks>Newest first: the ring's part before the next write, then the part after it.</remarks>
    private RecentAnswer? LastAnswer(ConfKey call) =>
        LastAnswer(call, _answerHashes.AsSpan(0, _nextAnswer), 0) ?? LastAnswer(call, _answerHashes.AsSpan(_nextAnswer), _nextAnswer);

    private RecentAnswer? LastAnswer(ConfKey call, ReadOnlySpan<int> hashes, int offset)
    {
        for (var at = hashes.LastIndexOf(call.Hash); at >= 0; at = hashes[..at].LastIndexOf(call.Hash))
        {
            if (_answers[offset + at].Conf == call.Conf)
            {
                return _answers[offset + at];
            }
        }

        return null;
    }

    /// <summary>The call's evidence; a new one is counted, and the oldest past the bound go in <see cref="ForgetOldCalls"/>.</summary>
    private ref CallEvidence Evidence(ConfKey key)
    {
        ref var evidence = ref CollectionsMarshal.GetValueRefOrAddDefault(_calls, key, out var known);
        if (!known)
        {
            _recentKeys.Enqueue(key);
        }

        return ref evidence;
    }

    /// <summary>Keeps the evidence of the last <see cref="MaxRecentCalls"/> calls only; called once no reference into it is held.</summary>
    private void ForgetOldCalls()
    {
        while (_recentKeys.Count > MaxRecentCalls && _recentKeys.TryDequeue(out var oldest))
        {
            _calls.Remove(oldest);
        }
    }

    private readonly record struct OpenRing(long SinceUnixMs, CallPeer? Peer);

    private readonly record struct RecentAnswer(string? Conf, string Guid, CallVia Via);

    /// <summary>What is known of one call across its users.</summary>
    private struct CallEvidence
    {
        public Missers Missed;
        public string? AnsweredBy;
        public CallVia AnsweredVia;
    }

    /// <summary>Who missed a call: almost always one user, kept without a list (a list a call was a third of what the detector kept alive).</summary>
    private struct Missers
    {
        private MissedCall? _first;
        private List<MissedCall>? _more;

        public readonly int Count => _first is null ? 0 : 1 + (_more?.Count ?? 0);

        public MissedCall this[int index]
        {
            readonly get => index == 0 ? _first! : _more![index - 1];
            set
            {
                if (index == 0)
                {
                    _first = value;
                }
                else
                {
                    _more![index - 1] = value;
                }
            }
        }

        /// <summary>Where the user's miss of the call is; -1 when the user has not missed it.</summary>
        public readonly int IndexOf(string guid)
        {
            for (var i = 0; i < Count; i++)
            {
                if (this[i].UserGuid == guid)
                {
                    return i;
                }
            }

            return -1;
        }

        public void Add(MissedCall call)
        {
            if (_first is null)
            {
                _first = call;
            }
            else
            {
                (_more ??= []).Add(call);
            }
        }

        public void RemoveAt(int index)
        {
            if (index > 0)
            {
                _more!.RemoveAt(index - 1);
            }
            else if (_more is { Count: > 0 })
            {
                _first = _more[0];
                _more.RemoveAt(0);
            }
            else
            {
                _first = null;
            }
        }
    }

    /// <summary>A call's <c>conf</c> with its hash, computed once per answer or miss and kept beside the conf wherever the conf is kept.</summary>
    private readonly struct ConfKey(string conf)
    {
        public static readonly IEqualityComparer<ConfKey> Comparer = new ConfKeyComparer();

        public string Conf { get; } = conf;

        public int Hash { get; } = conf.GetHashCode(StringComparison.Ordinal);

        private sealed class ConfKeyComparer : IEqualityComparer<ConfKey>
        {
            public bool Equals(ConfKey x, ConfKey y) => x.Hash == y.Hash && string.Equals(x.Conf, y.Conf, StringComparison.Ordinal);

            public int GetHashCode(ConfKey key) => key.Hash;
        }
    }
}
