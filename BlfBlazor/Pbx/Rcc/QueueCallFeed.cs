using BlfBlazor.State;

namespace BlfBlazor.Pbx.Rcc;

/// <summary>
/// Waiting queues (PBXAPIS.md §5): every object with <c>pseudo</c> = <c>waiting</c>, from RCC's list or the
/// user table, is monitored like a user (<c>UserInitialize</c> on its <c>cn</c>, <c>src</c> = <c>q:&lt;guid&gt;</c>),
/// and its <c>CallInfo</c> legs become callers waiting, ringing at agents and leaving the line. How a caller
/// left is read from the evidence the reference names, every variant it leaves open accepted: an agent's leg
/// of the call's <c>conf</c> that connects (seen on the agents' own monitors), a queue leg that connects to
/// an agent (<c>QueueAnswerEnd=PeerAgent</c>), cause 26, an operator's leg with <c>picking</c> (which may come
/// after the queue's leg ended), and a leg diverted by the queue (overflow). Lives as long as its connection.
/// </summary>
internal sealed class QueueCallFeed(IQueueStateWriter state, CallLegs legs, PbxSend send)
{
    private const string SrcPrefix = "q:";
    private const int NonSelectedUserClearing = 26;

    /// <summary>Callers that left recently, kept for evidence that comes after the queue's leg ended.</summary>
    private const int MaxRecentlyLeft = 64;

    /// <summary>Other monitors' legs of waiting callers' calls, remembered by handle until they end.</summary>
    private const int MaxObservedLegs = 4096;

    private readonly Dictionary<string, Queue> _queues = new(StringComparer.Ordinal);
    private readonly Dictionary<uint, Queue> _byHandle = [];
    private readonly Dictionary<string, WaitingLeg> _byConf = new(StringComparer.Ordinal);
    private readonly LinkedList<WaitingLeg> _recentlyLeft = new();
    private readonly Dictionary<(uint User, uint Call), ObservedLeg> _observed = [];

    /// <summary>Queues monitored now (answered, not just asked), for <c>/healthz</c>.</summary>
    public int Monitored => _byHandle.Count;

    /// <summary>
    /// An object of the user list or the table: a queue to watch when it is one (once per guid), one to let go
    /// when it was one and is no longer. <paramref name="fromTable"/> tells which list said so: either may list it.
    /// </summary>
    public async ValueTask ObjectListedAsync(string guid, string? cn, string name, string? number, string? pseudo, bool fromTable, CancellationToken cancellationToken)
    {
        if (!ShownObjects.IsQueue(pseudo) || cn is null)
        {
            if (_queues.TryGetValue(guid, out var was) && (fromTable ? was.InTable : was.InList))
            {
                await ObjectGoneAsync(guid, fromTable, cancellationToken);
            }

            return;
        }

        if (_queues.TryGetValue(guid, out var known))
        {
            known.InTable |= fromTable;
            known.InList |= !fromTable;
            state.ListQueue(guid, cn, name, number);
            return;
        }

        if (_queues.Count >= WaitingQueues.MaxQueues)
        {
            return;
        }

        _queues[guid] = new Queue(guid, cn) { InTable = fromTable, InList = !fromTable };
        state.ListQueue(guid, cn, name, number);
        await send(output => RccRequests.WriteUserInitialize(output, cn, SrcPrefix + guid), cancellationToken);
    }

    /// <summary>The list (or the table) no longer has the object: when neither has it, its monitor ends.</summary>
    public async ValueTask ObjectGoneAsync(string guid, bool fromTable, CancellationToken cancellationToken)
    {
        if (!_queues.TryGetValue(guid, out var queue))
        {
            return;
        }

        if (fromTable)
        {
            queue.InTable = false;
        }
        else
        {
            queue.InList = false;
        }

        if (queue.InTable || queue.InList)
        {
            return;
        }

        _queues.Remove(guid);
        state.RemoveQueue(guid);
        foreach (var leg in queue.Legs.Values)
        {
            Forget(leg);
        }

        if (queue.Handle is { } handle)
        {
            _byHandle.Remove(handle);
            await send(output => RccRequests.WriteUserEnd(output, handle), cancellationToken);
        }
    }

    /// <summary>True for a message of a queue's monitor: its <c>src</c>, or (a PBX that does not echo <c>src</c>) its handle.</summary>
    public bool Owns(in PbxMessage message) =>
        message.Src is { } src ? src.StartsWith(SrcPrefix, StringComparison.Ordinal) : _byHandle.ContainsKey(message.UserHandle);

    /// <summary>Applies a message of a queue's monitor; returns why it was dropped, or null.</summary>
    public string? Handle(in PbxMessage message)
    {
        switch (message.Type)
        {
            case PbxMessageType.UserInitializeResult:
                if (message.Src is not { } src || !_queues.TryGetValue(src[SrcPrefix.Length..], out var queue))
                {
                    return "UserInitializeResult for a queue not watched";
                }

                if (message.UserHandle == 0)
                {
                    return "UserInitialize of a queue refused (no user handle): grant the queue access to the App object";
                }

                queue.Handle = message.UserHandle;
                _byHandle[message.UserHandle] = queue;
                state.QueueMonitored(queue.Guid);
                return null;

            case PbxMessageType.CallInfo:
                return _byHandle.TryGetValue(message.UserHandle, out var owner) ? Apply(owner, message) : "CallInfo for an unknown queue handle";

            default:
                return $"{message.Type} nobody waits for";
        }
    }

    /// <summary>
    /// A <c>CallInfo</c> of another monitor (a user's, an operator's): evidence when its leg belongs to a
    /// caller of a queue. <paramref name="owner"/> is the leg's owner, when the list has them.
    /// </summary>
    public void Observe(in PbxMessage message, PbxUserInfo? owner)
    {
        // Every leg, even before any queue is known: the table may name the queues after the agents' calls came.
        if (message.Type != PbxMessageType.CallInfo)
        {
            return;
        }

        // Later messages of a leg need not repeat its conf or its no[]: each leg of a caller's call is remembered until it ends.
        var key = (message.UserHandle, message.Call);
        var seen = message.EndsLeg ? (_observed.Remove(key, out var gone) ? gone : null) : _observed.GetValueOrDefault(key);
        var conf = message.ConfId ?? seen?.Conf;
        var bits = message.State is { } sent ? new CallStateBits(sent) : (CallStateBits?)null;
        if (conf is null || !_byConf.TryGetValue(conf, out var waiting))
        {
            // A leg ringing before its caller is known here (after a reconnect the agents' monitors may report
            // first): remembered, so the caller rings at agents from the moment the queue reports them.
            if (conf is not null && seen is null && !message.EndsLeg && bits is { Direction: CallDirection.In, Phase: CallPhase.Ringing } && _observed.Count < MaxObservedLegs)
            {
                _observed[key] = new ObservedLeg(conf) { Ringing = true };
            }
            else if (seen is not null && bits is { } now)
            {
                seen.Ringing = now.Phase == CallPhase.Ringing;
            }

            return;
        }

        // Only legs toward someone (incoming for them) are evidence: an internal caller's own leg connects to the announcement.
        if (bits is { Direction: CallDirection.Out } && !message.EndsLeg)
        {
            return;
        }

        if (seen is null && !message.EndsLeg)
        {
            if (_observed.Count >= MaxObservedLegs)
            {
                return;
            }

            _observed[key] = seen = new ObservedLeg(conf);
        }

        if (seen is not null && message.No is { } no)
        {
            var queueCn = (waiting.Queue ?? waiting.LeftFrom)?.Cn;
            seen.Picked |= no.Any(c => c.Type == "picking");
            seen.FromQueue |= no.Any(c => c.Type is "leg2" or "leg2orig" && c.Cn == queueCn);
        }

        var name = owner is { } user ? legs.Peer(new Connector(null, user.Cn, user.Dn, user.H323, user.E164))?.Shown : null;
        Evidence(waiting, key, message.EndsLeg, bits?.Phase, seen?.Picked == true, seen?.FromQueue == true, name);
    }

    /// <summary>What one leg of a waiting caller's call says: ringing at an agent, answered, picked, forwarded, or gone.</summary>
    private void Evidence(WaitingLeg waiting, (uint, uint) key, bool ends, CallPhase? phase, bool picked, bool fromQueue, string? name)
    {
        if (ends)
        {
            _observed.Remove(key);
            if (waiting.Ringing.Remove(key) && waiting.Ringing.Count == 0 && waiting.Queue is not null)
            {
                Show(waiting);
            }

            return;
        }

        if (picked)
        {
            Settle(waiting, QueueOutcome.Taken, name);
        }
        else if (phase == CallPhase.Talking)
        {
            // While the caller waits, a leg of its call that connects is an agent's answer; after the queue's
            // leg ended, one the queue diverted (leg2) is the queue's forwarding.
            Settle(waiting, waiting.Queue is null && fromQueue ? QueueOutcome.Overflowed : QueueOutcome.Answered, name);
        }
        else if (phase == CallPhase.Ringing && waiting.Queue is not null && waiting.Ringing.Add(key) && waiting.Ringing.Count == 1)
        {
            Show(waiting);
        }

        if (_observed.GetValueOrDefault(key) is { } leg)
        {
            leg.Ringing = phase == CallPhase.Ringing;
        }
    }

    private string? Apply(Queue queue, in PbxMessage message)
    {
        queue.Legs.TryGetValue(message.Call, out var leg);
        if (leg is null && (message.ConfId is not null || _observed.ContainsKey((message.UserHandle, message.Call))))
        {
            // QueueAgentLegs=Shown: the queue's own leg toward an agent rings there until it ends.
            if (message.EndsLeg || (message.State is { } toward && new CallStateBits(toward).Direction == CallDirection.Out))
            {
                var key = (message.UserHandle, message.Call);
                if ((message.ConfId ?? _observed.GetValueOrDefault(key)?.Conf) is { } conf && _byConf.TryGetValue(conf, out var caller))
                {
                    if (!message.EndsLeg && _observed.Count < MaxObservedLegs)
                    {
                        _observed.TryAdd(key, new ObservedLeg(conf));
                    }

                    Evidence(caller, key, message.EndsLeg, message.EndsLeg ? null : CallPhase.Ringing, picked: false, fromQueue: false, name: null);
                }

                return null;
            }
        }

        if (message.EndsLeg)
        {
            if (leg is not null)
            {
                queue.Legs.Remove(message.Call);
                Leave(leg, message.CauseCode);
            }

            return null;
        }

        if (leg is null)
        {
            if (message.State is not { } sent)
            {
                return "CallInfo without a state for a new call";
            }

            var bits = new CallStateBits(sent);
            if (bits.Direction == CallDirection.Out)
            {
                return null; // toward an agent, without a conf to tell whose caller it is
            }

            if (queue.Legs.Count >= WaitingQueues.MaxCallersPerQueue)
            {
                return "More callers at a queue than a card shows";
            }

            // The wait starts at first sight: the PBX's time counts from the call's start, maybe before the queue (§5.3).
            leg = new WaitingLeg(message.Call, message.ConfId, legs.Peer(message.Peer), legs.FirstSightUnixMs()) { Queue = queue, Connector = message.Peer };
            queue.Legs[message.Call] = leg;
            if (leg.Conf is { } key)
            {
                _byConf[key] = leg;
                foreach (var (other, seen) in _observed)
                {
                    if (seen.Ringing && seen.Conf == key)
                    {
                        leg.Ringing.Add(other);
                    }
                }
            }

            Show(leg);
            return null;
        }

        if (message.CauseCode is { } cause)
        {
            leg.Cause = cause;
        }

        // QueueAnswerEnd=PeerAgent: the queue's leg connects to the agent before it ends (an announcement keeps the caller as peer).
        if (message.Peer is { Cn: not null } peer && leg.Connector is { } first && peer.Cn != first.Cn
            && message.State is { } state && new CallStateBits(state).Phase == CallPhase.Talking)
        {
            leg.Outcome ??= (QueueOutcome.Answered, legs.Peer(peer)?.Shown);
        }

        return null;
    }

    /// <summary>The queue's leg ended: the caller left the line, as the evidence so far says.</summary>
    private void Leave(WaitingLeg leg, int? lastCause)
    {
        var queue = leg.Queue!;
        var (outcome, by) = leg.Outcome
            ?? ((lastCause ?? leg.Cause) == NonSelectedUserClearing ? (QueueOutcome.Answered, null) : (QueueOutcome.Abandoned, (string?)null));
        state.CallerLeft(queue.Guid, leg.Call, outcome, by);
        leg.Queue = null;
        leg.LeftAs = outcome;
        leg.LeftBy = by;
        leg.LeftFrom = queue;
        leg.Ringing.Clear();

        // Kept a little: an operator's picked leg, or a forwarded one, may still say otherwise.
        if (leg.Conf is not null)
        {
            _recentlyLeft.AddLast(leg);
            if (_recentlyLeft.Count > MaxRecentlyLeft && _recentlyLeft.First!.Value is var oldest)
            {
                _recentlyLeft.RemoveFirst();
                if (_byConf.GetValueOrDefault(oldest.Conf!) == oldest)
                {
                    _byConf.Remove(oldest.Conf!);
                }
            }
        }
    }

    /// <summary>Evidence of how the caller left: noted while waiting, counted anew when it came after the leg ended.</summary>
    private void Settle(WaitingLeg leg, QueueOutcome outcome, string? by)
    {
        if (leg.Queue is not null)
        {
            // A picked leg wins over an answer: the operator's leg connects too.
            if (leg.Outcome is not { Outcome: QueueOutcome.Taken })
            {
                leg.Outcome = (outcome, by);
            }

            return;
        }

        // Only a taken or forwarded caller claims a caller after the fact ("abandoned" is what nobody claimed),
        // and a second monitor of the same leg may name who took it.
        if (leg.LeftFrom is not { } queue || outcome == QueueOutcome.Answered
            || (leg.LeftAs == outcome && (by is null || leg.LeftBy is not null)))
        {
            return;
        }

        leg.LeftAs = outcome;
        leg.LeftBy ??= by;
        state.Reclassify(queue.Guid, leg.Call, outcome, by);
    }

    private void Show(WaitingLeg leg) =>
        state.CallerWaiting(leg.Queue!.Guid, new QueueCaller(leg.Call, leg.Caller, leg.SinceUnixMs, leg.Ringing.Count > 0, leg.Conf));

    private void Forget(WaitingLeg leg)
    {
        if (leg.Conf is { } conf && _byConf.GetValueOrDefault(conf) == leg)
        {
            _byConf.Remove(conf);
        }
    }

    /// <summary>Another monitor's leg of a caller's call, until it ends: what its first messages said.</summary>
    private sealed class ObservedLeg(string conf)
    {
        public string Conf { get; } = conf;

        public bool Picked { get; set; }

        public bool FromQueue { get; set; }

        /// <summary>The leg rings now (for a caller the queue reports later).</summary>
        public bool Ringing { get; set; }
    }

    /// <summary>One watched queue: its monitor's handle once answered, and the legs on it.</summary>
    private sealed class Queue(string guid, string cn)
    {
        public string Guid { get; } = guid;

        public string Cn { get; } = cn;

        public uint? Handle { get; set; }

        public bool InTable { get; set; }

        public bool InList { get; set; }

        public Dictionary<uint, WaitingLeg> Legs { get; } = [];
    }

    /// <summary>A caller's leg at a queue: while waiting <see cref="Queue"/> is set; after, how it left.</summary>
    private sealed class WaitingLeg(uint call, string? conf, CallPeer? caller, long sinceUnixMs)
    {
        public uint Call { get; } = call;

        public string? Conf { get; } = conf;

        public CallPeer? Caller { get; } = caller;

        public long SinceUnixMs { get; } = sinceUnixMs;

        public Connector? Connector { get; init; }

        public Queue? Queue { get; set; }

        /// <summary>The agents' legs (user handle, call) ringing for this caller now.</summary>
        public HashSet<(uint User, uint Call)> Ringing { get; } = [];

        public int? Cause { get; set; }

        public (QueueOutcome Outcome, string? By)? Outcome { get; set; }

        public QueueOutcome? LeftAs { get; set; }

        public string? LeftBy { get; set; }

        public Queue? LeftFrom { get; set; }
    }
}
