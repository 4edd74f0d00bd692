namespace BlfBlazor.PbxSimulator.Core.Model;

/// <summary>
/// The calls of the simulated PBX: legs per user that keep <c>channel</c> and <c>alert</c> true, the
/// operations a phone or an operator performs, and each step told to the observers (CALLS.md §7), all
/// under the PBX lock. A user's lamp set with SetLamp while the user has no legs is "busy, no detail".
/// Operations that name a leg return false (or null) when it does not exist or is not in a state for it.
/// </summary>
public sealed partial class SimulatedPbx
{
    /// <summary>
    /// The owner of outside parties' legs in the whole-PBX feed, and the guid of the Trunk object when the
    /// user list has the objects (pseudo "trunk"): not a person, so a board shows no tile for it.
    /// </summary>
    public const string TrunkGuid = "7a0c7a0c7a0c7a0c7a0c7a0c7a0c7a0c";

    /// <summary>The trunk's cn in the whole-PBX feed.</summary>
    internal const string TrunkCn = "Trunk";

    private readonly Dictionary<int, CallLeg> _legs = [];
    private readonly Dictionary<string, List<CallLeg>> _legsByUser = new(StringComparer.Ordinal);
    private int _lastLegHandle;
    private long _nextLegSerial;

    /// <summary>
    /// An outside number calls the user: the call rings where the user's forwarding sends it (the user, a
    /// colleague, or out through the trunk), or is refused (do-not-disturb); at a waiting queue the caller
    /// waits (<see cref="StartQueueCall"/>). Returns (trunk leg, leg it rings).
    /// </summary>
    /// <exception cref="KeyNotFoundException">There is no user with this guid.</exception>
    public StartedCall StartIncomingExternalCall(string calleeGuid, string fromNumber)
    {
        ArgumentException.ThrowIfNullOrEmpty(fromNumber);
        lock (_gate)
        {
            var callee = UserLocked(calleeGuid);
            if (callee.IsQueue)
            {
                return StartQueueCall(calleeGuid, fromNumber);
            }

            var route = RouteLocked(callee, Forwarding.Obeyed, callerGuid: null);
            var call = NewCallLocked();
            var caller = Connector.Outside(fromNumber);
            var trunk = AddLegLocked(call, null, caller, incoming: false, route.Party);
            var leg = route.Refused ? null : AddCalledLegLocked(call, route, caller, RelatedOf(route));
            ReportLocked(trunk, "x-setup", added: true);
            return OfferOrRefuseLocked(trunk, leg, route);
        }
    }

    /// <summary>The caller dials the callee: it rings where the callee's forwarding sends it, or is refused; returns (caller's leg, leg it rings).</summary>
    /// <exception cref="KeyNotFoundException">There is no user with one of these guids.</exception>
    public StartedCall StartInternalCall(string callerGuid, string calleeGuid)
    {
        lock (_gate)
        {
            return StartInternalCallLocked(UserLocked(callerGuid), UserLocked(calleeGuid), Forwarding.Obeyed);
        }
    }

    /// <summary>The user dials an outside number, which rings; returns (user's leg, trunk leg).</summary>
    /// <exception cref="KeyNotFoundException">There is no user with this guid.</exception>
    public StartedCall StartOutgoingExternalCall(string callerGuid, string toNumber)
    {
        ArgumentException.ThrowIfNullOrEmpty(toNumber);
        lock (_gate)
        {
            var caller = UserLocked(callerGuid);
            var call = NewCallLocked();
            var leg = AddLegLocked(call, caller.Guid, Connector.Of(caller), incoming: false, Connector.Outside(toNumber));
            SyncLampLocked(caller.Guid);
            ReportLocked(leg, "x-setup", added: true);
            var trunk = AddLegLocked(call, null, Connector.Outside(toNumber), incoming: true, Connector.Of(caller));
            OfferLocked(trunk, Route.Outside(trunk.Owner, Forwarding.Obeyed), leg);
            return new StartedCall(leg.Handle, trunk.Handle);
        }
    }

    /// <summary>The called party answers the call this leg belongs to (any of its legs may be named).</summary>
    public bool Answer(int call)
    {
        lock (_gate)
        {
            if (!_legs.TryGetValue(call, out var leg))
            {
                return false;
            }

            // A waiting caller is answered at an agent's leg only: the queue's own leg connecting is its announcement.
            if (leg.Call.Queued is { } queued)
            {
                if (!queued.Rings.Any(ring => ring.Agent == leg))
                {
                    return false;
                }

                AnswerAtAgentLocked(queued, leg);
                return true;
            }

            return ConnectLocked(leg.Call);
        }
    }

    /// <summary>The owner of this connected leg puts the call on hold (the peer sees r-held).</summary>
    public bool Hold(int call) => SetHold(call, held: true);

    /// <summary>The owner of this leg takes the call back from hold.</summary>
    public bool Retrieve(int call) => SetHold(call, held: false);

    /// <summary>The owner of this leg hangs up (or rejects, or gives up ringing): the whole call ends.</summary>
    public bool HangUp(int call)
    {
        lock (_gate)
        {
            if (!_legs.TryGetValue(call, out var leg))
            {
                return false;
            }

            HangUpLocked(leg);
            return true;
        }
    }

    /// <summary>
    /// The user who owns both legs joins their peers and leaves (CALLS.md §7.4): both legs end, each
    /// peer's leg reports r-ct with the other peer and the transferring user as <c>ct</c>.
    /// </summary>
    public bool TransferAttended(int heldCall, int consultCall)
    {
        lock (_gate)
        {
            if (!_legs.TryGetValue(heldCall, out var held) || !_legs.TryGetValue(consultCall, out var consult)
                || held.OwnerGuid is null || held.OwnerGuid != consult.OwnerGuid || held.Call == consult.Call
                || held.Call.Queued is not null || consult.Call.Queued is not null)
            {
                return false;
            }

            var transferrer = new RelatedParty("ct", held.Owner);
            var heldPeers = PeersOf(held);
            var consultPeers = PeersOf(consult);
            EndLegLocked(held);
            EndLegLocked(consult);
            SyncLampLocked(held.OwnerGuid);

            var joined = held.Call;
            foreach (var leg in consultPeers)
            {
                consult.Call.Legs.Remove(leg);
                joined.Legs.Add(leg);
                leg.Call = joined;
                if (!Variants.KeepConfOnTransfer)
                {
                    leg.Conf = joined.Conf;
                }

                Transferred(leg, held.Peer, transferrer);
            }

            foreach (var leg in heldPeers)
            {
                Transferred(leg, consult.Peer, transferrer);
            }

            return true;
        }
    }

    /// <summary>
    /// The owner of this leg sends its peer to the target's desk without asking (UserRedirect: past the
    /// target's forwarding): the leg ends, a new leg rings at the target with the transferring user as
    /// <c>ct</c> (as <c>leg2</c>, the diverting user, when the leg was still ringing: a deflection).
    /// Returns the new leg, or null (also when the target refuses calls: do-not-disturb).
    /// </summary>
    public int? TransferBlind(int call, string targetGuid)
    {
        ArgumentNullException.ThrowIfNull(targetGuid);
        lock (_gate)
        {
            if (!_legs.TryGetValue(call, out var leg) || leg.OwnerGuid is null || leg.OwnerGuid == targetGuid
                || leg.Call.Queued is not null || !_users.TryGetValue(targetGuid, out var target))
            {
                return null;
            }

            return RedirectLocked(leg, RouteLocked(target, Forwarding.BrokenThrough, leg.OwnerGuid));
        }
    }

    /// <summary>
    /// Ends the user's leg and rings the route's end with its peer instead. The new leg names the users who
    /// diverted it on the way, else the redirecting user; null when the route was refused.
    /// </summary>
    private int? RedirectLocked(CallLeg leg, Route route)
    {
        // A waiting caller's legs move only by an answer or a take from the queue.
        if (route.Refused || leg.Call.Queued is not null)
        {
            return null;
        }

        var redirectedBy = new RelatedParty(leg.IsRinging ? "leg2" : "ct", leg.Owner);
        return RingElsewhereLocked(leg, route, route.Diverters.Count > 0 ? RelatedOf(route) : [redirectedBy], redirectedBy, released: false);
    }

    /// <summary>
    /// The picker takes a call ringing at another user (CALLS.md §7.5): the ringing leg ends (cause 26),
    /// a leg with <c>no:[picking, ct]</c> appears at the picker, alerting or connected (PickupConnected).
    /// A leg of a caller waiting at a queue (the queue's, or one ringing at an agent) takes the caller from
    /// the queue (PBXAPIS.md §5.6). Returns the picker's leg, or null when that leg is not ringing at someone else.
    /// </summary>
    public int? Pickup(string pickerGuid, int ringingCall)
    {
        ArgumentNullException.ThrowIfNull(pickerGuid);
        lock (_gate)
        {
            if (!_legs.TryGetValue(ringingCall, out var ringing) || ringing.OwnerGuid is null
                || ringing.OwnerGuid == pickerGuid || !_users.TryGetValue(pickerGuid, out var picker))
            {
                return null;
            }

            if (ringing.Call.Queued is { } queued)
            {
                return TakeFromQueueLocked(queued, picker);
            }

            if (!ringing.IsAlerting)
            {
                return null;
            }

            ringing.Phase = 6;
            ReportLocked(ringing, "r-rel", cause: ElsewhereCauseLocked());
            EndLegLocked(ringing);
            SyncLampLocked(ringing.OwnerGuid);
            return ArriveAtPickerLocked(ringing, picker, Variants.PickupConnected);
        }
    }

    /// <summary>
    /// The call of the <paramref name="taken"/> leg (ended) arrives at the picker: a leg with <c>no:[picking, ct = the
    /// taken leg's owner]</c>, alerting, or <paramref name="connected"/> at once. Returns the picker's leg.
    /// </summary>
    private int ArriveAtPickerLocked(CallLeg taken, SimulatedUser picker, bool connected)
    {
        var picked = AddLegLocked(taken.Call, picker.Guid, Connector.Of(picker), incoming: true, taken.Peer);
        picked.Related = [new RelatedParty("picking", null), new RelatedParty("ct", taken.Owner)];
        SyncLampLocked(picker.Guid);
        ReportLocked(picked, "r-setup", added: true);
        if (connected)
        {
            ConnectLocked(picked.Call);
        }
        else
        {
            picked.Phase = 4;
            ReportLocked(picked, "x-alert");
        }

        return picked.Handle;
    }

    /// <summary>What a correct board shows now: every user's legs and every user's presence.</summary>
    public PbxTruth Truth
    {
        get
        {
            lock (_gate)
            {
                var calls = new Dictionary<string, IReadOnlyList<LegTruth>>(StringComparer.Ordinal);
                foreach (var (guid, legs) in _legsByUser)
                {
                    calls.Add(guid, [.. legs.Select(TruthOf)]);
                }

                var presence = new Dictionary<string, PresenceTruth>(StringComparer.Ordinal);
                foreach (var guid in _users.Keys)
                {
                    var set = _presence.GetValueOrDefault(guid, UserPresence.Available);
                    presence.Add(guid, new PresenceTruth(set.Activity, set.Note, IsPresenceUpLocked(guid)));
                }

                return new PbxTruth(calls, presence);
            }
        }
    }

    /// <summary>Legs currently up, all users and the trunk together.</summary>
    public int LegCount
    {
        get { lock (_gate) { return _legs.Count; } }
    }

    /// <summary>The serial the next leg gets: a watcher that starts now and skips older legs reports legs from this one on.</summary>
    internal long NextLegSerial
    {
        get { lock (_gate) { return _nextLegSerial; } }
    }

    /// <summary>The user's legs up now, oldest first (the live list: read it under the PBX lock, see <see cref="Atomically"/>).</summary>
    internal IReadOnlyList<CallLeg> LegsOf(string guid)
    {
        lock (_gate)
        {
            return _legsByUser.GetValueOrDefault(guid) ?? [];
        }
    }

    /// <summary>Every leg up now, the trunk's too, in creation order.</summary>
    internal List<CallLeg> LegsInOrder()
    {
        lock (_gate)
        {
            return [.. _legs.Values.OrderBy(leg => leg.Serial)];
        }
    }

    /// <summary>The leg with this <c>call</c> id; null when there is none (any more).</summary>
    internal CallLeg? LegOf(int call)
    {
        lock (_gate)
        {
            return _legs.GetValueOrDefault(call);
        }
    }

    /// <summary>The owner of this leg hangs up; the others hear <paramref name="cause"/>.</summary>
    internal void HangUp(CallLeg leg, CallCause cause)
    {
        lock (_gate)
        {
            HangUpLocked(leg, cause);
        }
    }

    private static LegTruth TruthOf(CallLeg leg) => new(
        leg.Handle,
        leg.Incoming ? "in" : "out",
        leg.Phase >= 6 ? CallPhase.Ending
            : leg.Phase == 5 && (leg.HeldByOwner || leg.HeldByPeer) ? CallPhase.Held
            : leg.Phase == 5 ? CallPhase.Talking
            : CallPhase.Ringing,
        leg.HeldByOwner || leg.HeldByPeer,
        leg.Peer.Shown,
        leg.Peer.IsInternal,
        leg.Related.FirstOrDefault(related => related.Type == "ct")?.Party?.Shown,
        leg.Related.Any(related => related.Type == "picking"),
        leg.StartedAt);

    private bool SetHold(int call, bool held)
    {
        lock (_gate)
        {
            if (!_legs.TryGetValue(call, out var leg) || leg.Phase != 5 || leg.HeldByOwner == held || leg.Call.Queued is not null)
            {
                return false;
            }

            leg.HeldByOwner = held;
            ReportLocked(leg, "update");
            foreach (var peer in PeersOf(leg))
            {
                peer.HeldByPeer = held;
                ReportLocked(peer, held ? "r-held" : "r-retrieved");
            }

            return true;
        }
    }

    /// <summary>The caller's leg (reported) meets the route: refused, or the called leg is offered and rings.</summary>
    private StartedCall OfferOrRefuseLocked(CallLeg calling, CallLeg? called, Route route)
    {
        if (called is null)
        {
            RefuseLocked(calling, CallCause.UserBusy);
            return new StartedCall(calling.Handle, 0);
        }

        OfferLocked(called, route, calling);
        return new StartedCall(calling.Handle, called.Handle) { CalleeGuid = called.OwnerGuid };
    }

    private StartedCall StartInternalCallLocked(SimulatedUser caller, SimulatedUser callee, Forwarding forwarding)
    {
        if (callee.IsQueue)
        {
            var calling = AddLegLocked(NewCallLocked(), caller.Guid, Connector.Of(caller), incoming: false, Connector.Of(callee));
            SyncLampLocked(caller.Guid);
            ReportLocked(calling, "x-setup", added: true);
            return EnqueueLocked(callee, calling);
        }

        var route = RouteLocked(callee, forwarding, caller.Guid);
        var call = NewCallLocked();
        var outgoing = AddLegLocked(call, caller.Guid, Connector.Of(caller), incoming: false, route.Party);
        SyncLampLocked(caller.Guid);
        ReportLocked(outgoing, "x-setup", added: true);
        var incoming = route.Refused ? null : AddCalledLegLocked(call, route, Connector.Of(caller), RelatedOf(route));
        return OfferOrRefuseLocked(outgoing, incoming, route);
    }

    /// <summary>Connects every leg of the call still ringing: the answering side first (x-conn), then the caller (r-conn).</summary>
    private bool ConnectLocked(SimulatedCall call)
    {
        var answering = call.Legs.Where(leg => leg.IsRinging).OrderByDescending(leg => leg.Incoming).ToList();
        if (!answering.Any(leg => leg.Incoming))
        {
            return false;
        }

        foreach (var leg in answering)
        {
            leg.Phase = 5;
        }

        SyncLampsLocked(answering);
        foreach (var leg in answering)
        {
            ReportLocked(leg, leg.Incoming ? "x-conn" : "r-conn");
        }

        foreach (var leg in call.Legs.Where(leg => leg.DialsOut).ToList())
        {
            leg.DialsOut = false;
            ReportLocked(leg, "r-conn");
        }

        return true;
    }

    private void HangUpLocked(CallLeg hangingUp, CallCause? cause = null)
    {
        // An agent hanging up a waiting caller's ring rejects it; any other leg ends the call and the wait.
        var queued = hangingUp.Call.Queued;
        if (queued?.Rings.FirstOrDefault(ring => ring.Agent == hangingUp) is { } rejected)
        {
            RejectAtAgentLocked(queued, rejected);
            return;
        }

        var others = PeersOf(hangingUp);
        hangingUp.Phase = 7;
        ReportLocked(hangingUp, "x-rel");
        foreach (var leg in others)
        {
            leg.Phase = 6;
            ReportLocked(leg, "r-rel", cause: cause ?? CallCause.NormalClearing);
        }

        EndLegLocked(hangingUp);
        foreach (var leg in others)
        {
            EndLegLocked(leg);
        }

        SyncLampsLocked([hangingUp, .. others]);
        if (queued is not null)
        {
            GaveUpLocked(queued);
        }
    }

    private void Transferred(CallLeg leg, Connector newPeer, RelatedParty transferrer)
    {
        leg.Peer = newPeer;
        leg.Related = [transferrer];
        leg.HeldByPeer = false;
        ReportLocked(leg, "r-ct");
    }

    private static List<CallLeg> PeersOf(CallLeg leg) => [.. leg.Call.Legs.Where(other => other != leg)];

    private SimulatedUser UserLocked(string guid)
    {
        ArgumentNullException.ThrowIfNull(guid);
        return _users.TryGetValue(guid, out var user) ? user : throw new KeyNotFoundException($"No simulated user with guid '{guid}'.");
    }

    private SimulatedCall NewCallLocked() => new(NewGuid(_ids), NewGuid(_ids));

    private CallLeg AddLegLocked(SimulatedCall call, string? ownerGuid, Connector owner, bool incoming, Connector peer)
    {
        var leg = new CallLeg(++_lastLegHandle, _nextLegSerial++, call, ownerGuid, owner, incoming, peer, TimeProvider.GetUtcNow());
        call.Legs.Add(leg);
        _legs.Add(leg.Handle, leg);
        if (ownerGuid is not null)
        {
            if (!_legsByUser.TryGetValue(ownerGuid, out var legs))
            {
                legs = [];
                _legsByUser.Add(ownerGuid, legs);
            }

            legs.Add(leg);
        }

        return leg;
    }

    /// <summary>Reports the leg's last step (its last CallInfo and its CallDel) and forgets it (the lamp is synced by the caller, after).</summary>
    private void EndLegLocked(CallLeg leg)
    {
        leg.NoAnswer?.Dispose();
        leg.NoAnswer = null;
        ReportLocked(leg, leg.LastMsg, last: true);
        leg.Call.Legs.Remove(leg);
        _legs.Remove(leg.Handle);
        if (leg.OwnerGuid is { } guid && _legsByUser.TryGetValue(guid, out var legs) && legs.Remove(leg) && legs.Count == 0)
        {
            _legsByUser.Remove(guid);
        }
    }

    private void SyncLampsLocked(IEnumerable<CallLeg> legs)
    {
        foreach (var guid in legs.Select(leg => leg.OwnerGuid).OfType<string>().Distinct(StringComparer.Ordinal).ToList())
        {
            SyncLampLocked(guid);
        }
    }

    /// <summary>Makes the user's channel and alert count the user's legs, announcing the record when that changed them.</summary>
    private void SyncLampLocked(string guid)
    {
        if (!_users.TryGetValue(guid, out var user))
        {
            return;
        }

        var legs = _legsByUser.GetValueOrDefault(guid);
        var channel = legs?.Count ?? 0;
        var alert = legs?.Count(leg => leg.IsAlerting) ?? 0;
        if (channel == user.Channel && alert == user.Alert && (channel == 0 || user.Registered))
        {
            return;
        }

        var changed = user with { Channel = channel, Alert = alert, Registered = user.Registered || channel > 0 };
        _users[guid] = changed;
        AnnounceLocked(changed);
    }

    /// <summary>Tells the observers of one step of a leg; <paramref name="last"/> ends the leg instead.</summary>
    private void ReportLocked(CallLeg leg, string msg, bool added = false, bool last = false, CallCause? cause = null)
    {
        if (!last)
        {
            leg.LastMsg = msg;
        }

        var change = new LegChange(leg, msg, added, last, cause, TimeProvider.GetUtcNow());
        foreach (var observer in _observers)
        {
            observer.LegChanged(change);
        }
    }
}
