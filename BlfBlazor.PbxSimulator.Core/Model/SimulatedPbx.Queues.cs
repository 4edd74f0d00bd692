namespace BlfBlazor.PbxSimulator.Core.Model;

/// <summary>
/// Waiting queues (PBXAPIS.md §5, §9.5). A caller reaches a queue object (pseudo "waiting") and waits on a
/// leg at the queue's handle; callers ring at the queue's agents one at a time, the longest waiting first,
/// at every logged-in member of its <see cref="SimulatedUser.AgentGroup"/> together. An agent answers (the
/// others' legs end), an operator takes the caller (UserPickup), or the caller gives up. What a real PBX
/// leaves unknown follows the queue switches of <see cref="ProtocolVariants"/>.
/// </summary>
public sealed partial class SimulatedPbx
{
    // Per queue guid: the callers waiting, longest first; and what the queue saw since the start.
    private readonly Dictionary<string, List<QueuedCaller>> _waiting = new(StringComparer.Ordinal);
    private readonly Dictionary<string, QueueCounts> _queueCounts = new(StringComparer.Ordinal);

    /// <summary>
    /// An outside number calls the waiting queue: the caller waits on a leg at the queue's handle and, when
    /// first in line, rings at the agents. Returns (trunk leg, queue's leg).
    /// </summary>
    /// <exception cref="KeyNotFoundException">There is no user with this guid.</exception>
    /// <exception cref="ArgumentException">The user is no waiting queue.</exception>
    public StartedCall StartQueueCall(string queueGuid, string fromNumber)
    {
        ArgumentException.ThrowIfNullOrEmpty(fromNumber);
        lock (_gate)
        {
            var queue = QueueLocked(queueGuid);
            var caller = Connector.Outside(fromNumber);
            var trunk = AddLegLocked(NewCallLocked(), null, caller, incoming: false, Connector.Of(queue));
            ReportLocked(trunk, "x-setup", added: true);
            return EnqueueLocked(queue, trunk);
        }
    }

    /// <summary>
    /// An agent takes the waiting caller this leg belongs to (the queue's leg, or any of the call's): the named
    /// agent, or the first rung. Returns the agent's leg; null when the caller does not ring at that agent now.
    /// </summary>
    public int? AnswerQueueCall(int call, string? agentGuid = null)
    {
        lock (_gate)
        {
            if (!_legs.TryGetValue(call, out var leg) || leg.Call.Queued is not { } queued
                || queued.Rings.FirstOrDefault(ring => agentGuid is null || ring.Agent.OwnerGuid == agentGuid) is not { } ring)
            {
                return null;
            }

            AnswerAtAgentLocked(queued, ring.Agent);
            return ring.Agent.Handle;
        }
    }

    /// <summary>The caller waiting on this leg (or any of its call's) hangs up: abandoned, the legs hear cause 16. False when no caller waits there.</summary>
    public bool AbandonQueueCall(int call)
    {
        lock (_gate)
        {
            if (!_legs.TryGetValue(call, out var leg) || leg.Call.Queued is not { } queued)
            {
                return false;
            }

            HangUpLocked(queued.CallerLeg, CallCause.NormalClearing);
            return true;
        }
    }

    /// <summary>Every waiting queue as a queue card shows it now, in user-list order.</summary>
    public IReadOnlyList<QueueTruth> Queues
    {
        get
        {
            lock (_gate)
            {
                return [.. _users.Values.Where(user => user.IsQueue).Select(queue =>
                {
                    var counts = _queueCounts.GetValueOrDefault(queue.Guid) ?? new QueueCounts();
                    var waiting = _waiting.GetValueOrDefault(queue.Guid) ?? [];
                    return new QueueTruth(
                        queue.Guid,
                        queue.Cn,
                        [.. waiting.Select(caller => new WaitingCallerTruth(caller.QueueLeg.Handle, caller.QueueLeg.Peer.Shown, caller.Since, caller.Rings.Count > 0))],
                        counts.Offered,
                        counts.Answered,
                        counts.Abandoned,
                        counts.Overflowed);
                })];
            }
        }
    }

    /// <summary>
    /// The calling leg (reported) reaches the queue: a leg at the queue's handle (129 r-setup, then 132 x-alert
    /// or 133 x-conn per <see cref="ProtocolVariants.QueueWaitForm"/>), the caller's side hears it, and the
    /// agents ring when the caller is first in line.
    /// </summary>
    private StartedCall EnqueueLocked(SimulatedUser queue, CallLeg calling)
    {
        var leg = AddLegLocked(calling.Call, queue.Guid, Connector.Of(queue), incoming: true, calling.Owner);
        leg.Waiting = Variants.QueueWaitingBit;
        var queued = new QueuedCaller(queue.Guid, leg, calling, leg.StartedAt);
        calling.Call.Queued = queued;
        WaitingAtLocked(queue.Guid).Add(queued);
        CountsOfLocked(queue.Guid).Offered++;

        SyncLampLocked(queue.Guid);
        ReportLocked(leg, "r-setup", added: true);
        var announced = Variants.QueueWaitForm == QueueWaitForm.Announcement;
        leg.Phase = announced ? 5 : 4;
        calling.Phase = leg.Phase;
        SyncLampLocked(queue.Guid);
        ReportLocked(leg, announced ? "x-conn" : "x-alert");
        ReportLocked(calling, announced ? "r-conn" : "r-alert");
        RingNextLocked(queue.Guid);
        if (ActiveDiversion(queue, DiversionType.Cfnr) is not null)
        {
            queued.Overflow = TimeProvider.CreateTimer(
                _ =>
                {
                    lock (_gate)
                    {
                        OverflowLocked(queued);
                    }
                },
                null,
                _noAnswerTime,
                Timeout.InfiniteTimeSpan);
        }

        return new StartedCall(calling.Handle, leg.Handle) { CalleeGuid = queue.Guid };
    }

    /// <summary>
    /// The queue's cfnr time is up (<see cref="NoAnswerTime"/>) for a caller still waiting: the agents' legs end and
    /// the call rings at the cfnr's destination, as <see cref="ProtocolVariants.QueueOverflow"/> shows it. A destination
    /// nobody has, one that refuses calls, or a cfnr gone meanwhile: the caller waits on.
    /// </summary>
    private void OverflowLocked(QueuedCaller queued)
    {
        var queueLeg = queued.QueueLeg;
        if (queueLeg.Call.Queued != queued || !_users.TryGetValue(queued.QueueGuid, out var queue)
            || ActiveDiversion(queue, DiversionType.Cfnr) is not { } cfnr)
        {
            return;
        }

        var destination = DestinationLocked(new DialledParty(null, cfnr.H323, cfnr.E164));
        var route = destination.User is { } user ? RouteLocked(user, Forwarding.Obeyed, queued.CallerLeg.OwnerGuid, [queue])
            : destination.Peer is { } outside ? new Route(null, outside, [queue], [], Forwarding.Obeyed)
            : null;
        if (route is null || route.Refused)
        {
            return;
        }

        LeaveQueueLocked(queued).Overflowed++;
        EndRingsLocked(queued, except: null);
        var diverted = Variants.QueueOverflow == QueueOverflow.Diverted;
        RingElsewhereLocked(queueLeg, route, diverted ? RelatedOf(route) : [], new RelatedParty("leg2", queueLeg.Owner), released: diverted);
        RingNextLocked(queued.QueueGuid);
    }

    /// <summary>
    /// When none of the queue's callers rings at agents: the longest waiting rings at every logged-in agent
    /// (129 r-setup, peer the caller, <c>no:[leg2 = the queue]</c>, the call's conf), with a leg toward each on
    /// the queue's handle when <see cref="ProtocolVariants.QueueAgentLegs"/> shows them.
    /// </summary>
    private void RingNextLocked(string queueGuid)
    {
        if (!_users.TryGetValue(queueGuid, out var queue) || _waiting.GetValueOrDefault(queueGuid) is not [var next, ..] waiting
            || waiting.Any(caller => caller.Rings.Count > 0))
        {
            return;
        }

        var agents = _users.Values.Where(user => user.IsPerson && IsAgentOf(user, queue)).ToList();
        var call = next.QueueLeg.Call;
        foreach (var agent in agents)
        {
            var leg = AddLegLocked(call, agent.Guid, Connector.Of(agent), incoming: true, next.QueueLeg.Peer);
            leg.Related = [new RelatedParty("leg2", Connector.Of(queue))];
            next.Rings.Add(new AgentRing(leg));
        }

        SyncLampsLocked(next.Rings.Select(ring => ring.Agent));
        foreach (var ring in next.Rings)
        {
            ReportLocked(ring.Agent, "r-setup", added: true);
            ring.Agent.Phase = 4;
            ReportLocked(ring.Agent, "x-alert");
            if (Variants.QueueAgentLegs == QueueAgentLegs.Shown)
            {
                var shown = AddLegLocked(call, queue.Guid, Connector.Of(queue), incoming: false, ring.Agent.Owner);
                ring.Shown = shown;
                SyncLampLocked(queue.Guid);
                ReportLocked(shown, "x-setup", added: true);
                shown.Phase = 4;
                ReportLocked(shown, "r-alert");
            }
        }
    }

    /// <summary>Rings the next caller of every queue that has none ringing (after agents logged in).</summary>
    private void RingNextEverywhereLocked()
    {
        foreach (var queueGuid in _waiting.Keys.ToList())
        {
            RingNextLocked(queueGuid);
        }
    }

    /// <summary>
    /// The agent's leg connects (133 x-conn), the other agents' legs end (134 r-rel, <see cref="ProtocolVariants.ElsewhereCause"/>),
    /// the queue's leg ends as <see cref="ProtocolVariants.QueueAnswerEnd"/> says, the caller's side learns the agent; the next caller rings.
    /// </summary>
    private void AnswerAtAgentLocked(QueuedCaller queued, CallLeg agent)
    {
        LeaveQueueLocked(queued).Answered++;
        agent.Phase = 5;
        SyncLampLocked(agent.OwnerGuid!);
        ReportLocked(agent, "x-conn");
        EndRingsLocked(queued, except: agent);

        var queueLeg = queued.QueueLeg;
        switch (Variants.QueueAnswerEnd)
        {
            case QueueAnswerEnd.Cause26:
                queueLeg.Phase = 6;
                ReportLocked(queueLeg, "r-rel", cause: CallCause.NonSelectedUser);
                break;
            case QueueAnswerEnd.PeerAgent:
                queueLeg.Peer = agent.Owner;
                queueLeg.Waiting = false;
                queueLeg.Phase = 5;
                ReportLocked(queueLeg, "r-conn");
                break;
        }

        EndLegLocked(queueLeg);
        SyncLampLocked(queued.QueueGuid);
        queued.CallerLeg.Peer = agent.Owner;
        queued.CallerLeg.Phase = 5;
        ReportLocked(queued.CallerLeg, "r-conn");
        RingNextLocked(queued.QueueGuid);
    }

    /// <summary>
    /// An operator takes the waiting caller (UserPickup on the queue, PBXAPIS.md §5.6): the queue's leg and any
    /// agents' legs end (<see cref="ProtocolVariants.ElsewhereCause"/>), the picker gets the caller with
    /// <c>no:[picking, ct = the queue]</c>, connected per PickupConnected, or QueuePickupConnected for a caller
    /// hearing the announcement. Returns the picker's leg.
    /// </summary>
    private int TakeFromQueueLocked(QueuedCaller queued, SimulatedUser picker)
    {
        LeaveQueueLocked(queued).Answered++;
        var queueLeg = queued.QueueLeg;
        var announced = queueLeg.Phase == 5;
        queueLeg.Phase = 6;
        ReportLocked(queueLeg, "r-rel", cause: ElsewhereCauseLocked());
        EndLegLocked(queueLeg);
        EndRingsLocked(queued, except: null);
        SyncLampLocked(queued.QueueGuid);
        var picked = ArriveAtPickerLocked(queueLeg, picker, announced ? Variants.QueuePickupConnected : Variants.PickupConnected);
        RingNextLocked(queued.QueueGuid);
        return picked;
    }

    /// <summary>An agent rejects the caller: only that agent's leg (and its leg on the queue's handle) ends; the caller rings on at the others.</summary>
    private void RejectAtAgentLocked(QueuedCaller queued, AgentRing ring)
    {
        queued.Rings.Remove(ring);
        ring.Agent.Phase = 7;
        ReportLocked(ring.Agent, "x-rel");
        EndLegLocked(ring.Agent);
        SyncLampLocked(ring.Agent.OwnerGuid!);
        if (ring.Shown is { } shown)
        {
            EndLegLocked(shown);
            SyncLampLocked(queued.QueueGuid);
        }
    }

    /// <summary>The waiting call ended before anyone took it (its legs are gone): abandoned; the next caller rings.</summary>
    private void GaveUpLocked(QueuedCaller queued)
    {
        LeaveQueueLocked(queued).Abandoned++;
        RingNextLocked(queued.QueueGuid);
    }

    /// <summary>Ends the legs that ring at agents for this caller, but the answering one, and their legs on the queue's handle.</summary>
    private void EndRingsLocked(QueuedCaller queued, CallLeg? except)
    {
        foreach (var ring in queued.Rings)
        {
            if (ring.Agent != except)
            {
                ring.Agent.Phase = 6;
                ReportLocked(ring.Agent, "r-rel", cause: ElsewhereCauseLocked());
                EndLegLocked(ring.Agent);
                SyncLampLocked(ring.Agent.OwnerGuid!);
            }

            if (ring.Shown is { } shown)
            {
                EndLegLocked(shown);
            }
        }

        queued.Rings.Clear();
    }

    /// <summary>The caller is no longer waiting: out of the line, the call an ordinary one again. Returns the queue's counts.</summary>
    private QueueCounts LeaveQueueLocked(QueuedCaller queued)
    {
        queued.Overflow?.Dispose();
        queued.Overflow = null;
        queued.QueueLeg.Call.Queued = null;
        WaitingAtLocked(queued.QueueGuid).Remove(queued);
        return CountsOfLocked(queued.QueueGuid);
    }

    private SimulatedUser QueueLocked(string guid)
    {
        var queue = UserLocked(guid);
        return queue.IsQueue ? queue : throw new ArgumentException($"The user with guid '{guid}' is no waiting queue.", nameof(guid));
    }

    /// <summary>An active member of the queue's agent group, logged in (<c>dyn</c> absent or "in").</summary>
    private static bool IsAgentOf(SimulatedUser user, SimulatedUser queue) =>
        queue.AgentGroup is { } group
        && user.Groups.Any(membership => membership.Name == group && membership.Mode == "active" && membership.Dyn is null or "in");

    private List<QueuedCaller> WaitingAtLocked(string queueGuid)
    {
        if (!_waiting.TryGetValue(queueGuid, out var waiting))
        {
            waiting = [];
            _waiting.Add(queueGuid, waiting);
        }

        return waiting;
    }

    private QueueCounts CountsOfLocked(string queueGuid)
    {
        if (!_queueCounts.TryGetValue(queueGuid, out var counts))
        {
            counts = new QueueCounts();
            _queueCounts.Add(queueGuid, counts);
        }

        return counts;
    }

    private sealed class QueueCounts
    {
        public int Offered { get; set; }

        public int Answered { get; set; }

        public int Abandoned { get; set; }

        public int Overflowed { get; set; }
    }
}

/// <summary>
/// A caller waiting at a queue: the queue's leg, the caller's own leg (the trunk's, or a colleague's), when the
/// wait began, and while it rings at agents their legs. Only touched under the PBX lock.
/// </summary>
internal sealed class QueuedCaller(string queueGuid, CallLeg queueLeg, CallLeg callerLeg, DateTimeOffset since)
{
    public string QueueGuid { get; } = queueGuid;

    public CallLeg QueueLeg { get; } = queueLeg;

    public CallLeg CallerLeg { get; } = callerLeg;

    public DateTimeOffset Since { get; } = since;

    public List<AgentRing> Rings { get; } = [];

    /// <summary>While the queue has a cfnr: the timer that sends the caller on (disposed when the caller leaves the line).</summary>
    public ITimer? Overflow { get; set; }
}

/// <summary>A leg ringing at an agent for a waiting caller, and its counterpart on the queue's handle when shown.</summary>
internal sealed class AgentRing(CallLeg agent)
{
    public CallLeg Agent { get; } = agent;

    public CallLeg? Shown { get; set; }
}
