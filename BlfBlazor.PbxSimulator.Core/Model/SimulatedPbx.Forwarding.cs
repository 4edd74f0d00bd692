namespace BlfBlazor.PbxSimulator.Core.Model;

/// <summary>Whether a call follows the callee's forwarding, or breaks through it to the desk (UserRedirect, ftyNoCF).</summary>
internal enum Forwarding
{
    Obeyed,
    BrokenThrough,
}

/// <summary>
/// Where calls go (PBXAPIS.md §1.5, §4): each user's call diversions and groups, and the routing that
/// follows them. A call for a user with an unconditional cfu goes to its destination without ringing the
/// user, so does one with a cfb while the user is busy; with a cfnr the user's phone rings for
/// <see cref="NoAnswerTime"/>, then the destination's. Do-not-disturb refuses the call or counts as busy
/// (<see cref="ProtocolVariants.DndCalls"/>). The leg a diverted call rings names the diverting users
/// (<see cref="ProtocolVariants.DivertNo"/>).
/// </summary>
public sealed partial class SimulatedPbx
{
    // Diversions to a diversion's destination are followed this far; a loop ends sooner, where it closes.
    private const int MostDiversionsFollowed = 8;

    private TimeSpan _noAnswerTime = TimeSpan.FromSeconds(15);

    /// <summary>How long a call rings at a user with a cfnr diversion before it goes on, on the PBX's clock.</summary>
    public TimeSpan NoAnswerTime
    {
        get { lock (_gate) { return _noAnswerTime; } }
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            lock (_gate)
            {
                _noAnswerTime = value;
            }
        }
    }

    /// <summary>Replaces the user's call diversions (in the PBX's order) and announces the user; returns the new record.</summary>
    /// <exception cref="KeyNotFoundException">There is no user with this guid.</exception>
    public SimulatedUser SetDiversions(string guid, IReadOnlyList<Diversion> diversions)
    {
        ArgumentNullException.ThrowIfNull(diversions);
        return ChangeUser(guid, user => user with { Diversions = [.. diversions] });
    }

    /// <summary>Removes all of the user's call diversions.</summary>
    /// <exception cref="KeyNotFoundException">There is no user with this guid.</exception>
    public SimulatedUser ClearDiversions(string guid) => SetDiversions(guid, []);

    /// <summary>Replaces the user's PBX group memberships and announces the user; returns the new record. An agent who logged in takes waiting callers.</summary>
    /// <exception cref="KeyNotFoundException">There is no user with this guid.</exception>
    public SimulatedUser SetGroups(string guid, IReadOnlyList<GroupMembership> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        lock (_gate)
        {
            var changed = ChangeUser(guid, user => user with { Groups = [.. groups] });
            RingNextEverywhereLocked();
            return changed;
        }
    }

    /// <summary>
    /// PbxApi AddDiversion: adds an unconditional diversion, in the place of the user's unconditional ones of
    /// that type or after all of them (<see cref="ProtocolVariants.AddDiversionMode"/>). Conditional entries
    /// are an administrator's and stay.
    /// </summary>
    internal void AddDiversion(string guid, Diversion diversion) => ChangeUser(guid, user => user with
    {
        Diversions = Variants.AddDiversionMode == AddDiversionMode.Append
            ? [.. user.Diversions, diversion]
            : [.. user.Diversions.Where(entry => entry.Type != diversion.Type || entry.IsConditional), diversion],
    });

    /// <summary>PbxApi DelDiversion: removes the user's unconditional diversions of this type.</summary>
    internal void DeleteDiversions(string guid, DiversionType type) => ChangeUser(guid, user => user with
    {
        Diversions = [.. user.Diversions.Where(entry => entry.Type != type || entry.IsConditional)],
    });

    /// <summary>The user's diversion of this type that applies now (the first unconditional one); null when none.</summary>
    internal static Diversion? ActiveDiversion(SimulatedUser user, DiversionType type) =>
        user.Diversions.FirstOrDefault(entry => entry.Type == type && !entry.IsConditional);

    /// <summary>
    /// Where a call for <paramref name="callee"/> rings: follows cfu, and cfb while the user is busy (or on
    /// do-not-disturb, as <see cref="ProtocolVariants.DndCalls"/> says), from destination to destination,
    /// unless the forwarding is broken through. Never back to <paramref name="callerGuid"/> or a user passed
    /// before (a loop rings where it closes). <paramref name="earlier"/>: who diverted the call before, on no answer.
    /// </summary>
    private Route RouteLocked(SimulatedUser callee, Forwarding forwarding, string? callerGuid, IReadOnlyList<SimulatedUser>? earlier = null)
    {
        earlier ??= [];
        var passed = new List<SimulatedUser>();
        var visited = new HashSet<string>(earlier.Select(user => user.Guid), StringComparer.Ordinal) { callee.Guid };
        if (callerGuid is not null)
        {
            visited.Add(callerGuid);
        }

        var current = callee;
        while (true)
        {
            var dnd = Variants.DndCalls != DndCallHandling.Ring && _presence.GetValueOrDefault(current.Guid)?.Activity == "dnd";
            var diversion = forwarding == Forwarding.BrokenThrough ? null
                : ActiveDiversion(current, DiversionType.Cfu)
                    ?? (current.Channel > 0 || (dnd && Variants.DndCalls == DndCallHandling.Cfb) ? ActiveDiversion(current, DiversionType.Cfb) : null);
            var next = diversion is null || passed.Count == MostDiversionsFollowed ? null : DestinationLocked(new DialledParty(null, diversion.H323, diversion.E164));
            if (next?.Peer is null || (next.User is { } user && visited.Contains(user.Guid)))
            {
                // No diversion applies, or it leads nowhere or back: the call stops here.
                return new Route(dnd ? null : current, Connector.Of(current), earlier, passed, forwarding) { Refused = dnd };
            }

            passed.Add(current);
            if (next.User is not { } reached)
            {
                return new Route(null, next.Peer, earlier, passed, forwarding);
            }

            visited.Add(reached.Guid);
            current = reached;
        }
    }

    /// <summary>The new leg of a call for the route's end: at the user, or the trunk's for an outside number; the user's lamp follows.</summary>
    private CallLeg AddCalledLegLocked(SimulatedCall call, Route route, Connector peer, IReadOnlyList<RelatedParty> related)
    {
        var leg = AddLegLocked(call, route.User?.Guid, route.Party, incoming: true, peer);
        leg.Related = related;
        if (route.User is { } user)
        {
            SyncLampLocked(user.Guid);
        }

        return leg;
    }

    /// <summary>Reports the called leg (after the diverters' brief legs) and rings it; then the calling leg hears it ring.</summary>
    private void OfferLocked(CallLeg called, Route route, CallLeg? calling)
    {
        BriefLegsAtDivertersLocked(called.Call, route, called.Peer);
        ReportLocked(called, "r-setup", added: true);
        AlertLocked(called, route);
        if (calling is not null)
        {
            calling.Phase = 4;
            ReportLocked(calling, "r-alert");
        }
    }

    /// <summary>The leg alerts; at a user with a cfnr the no-answer timer starts (for a call that broke through, as <see cref="ProtocolVariants.NoCfCfnr"/> says).</summary>
    private void AlertLocked(CallLeg called, Route route)
    {
        called.Phase = 4;
        ReportLocked(called, "x-alert");
        if (route.User is { } user && ActiveDiversion(user, DiversionType.Cfnr) is not null
            && (route.Forwarding == Forwarding.Obeyed || Variants.NoCfCfnr == BreakThroughCfnr.Applies))
        {
            called.NoAnswer = TimeProvider.CreateTimer(
                _ =>
                {
                    lock (_gate)
                    {
                        NoAnswerLocked(called, route.Diverters);
                    }
                },
                null,
                _noAnswerTime,
                Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>
    /// The no-answer time is up: a leg still ringing at a user who still has a cfnr ends, and the call rings at
    /// the destination (following its forwarding). A destination nobody has, or one back on the call's path: it rings on.
    /// </summary>
    private void NoAnswerLocked(CallLeg leg, IReadOnlyList<SimulatedUser> earlier)
    {
        leg.NoAnswer?.Dispose();
        leg.NoAnswer = null;
        if (!_legs.ContainsKey(leg.Handle) || !leg.IsAlerting || leg.OwnerGuid is not { } guid
            || !_users.TryGetValue(guid, out var user) || ActiveDiversion(user, DiversionType.Cfnr) is not { } cfnr)
        {
            return;
        }

        var callerGuid = PeersOf(leg).Select(peer => peer.OwnerGuid).OfType<string>().FirstOrDefault();
        var destination = DestinationLocked(new DialledParty(null, cfnr.H323, cfnr.E164));
        IReadOnlyList<SimulatedUser> diverters = [.. earlier, user];
        if (destination.Peer is null || (destination.User is { } next
            && (next.Guid == callerGuid || diverters.Any(diverter => diverter.Guid == next.Guid))))
        {
            return;
        }

        var route = destination.User is { } reached
            ? RouteLocked(reached, Forwarding.Obeyed, callerGuid, diverters)
            : new Route(null, destination.Peer, diverters, [], Forwarding.Obeyed);
        if (!route.Refused)
        {
            RingElsewhereLocked(leg, route, RelatedOf(route), new RelatedParty("leg2", leg.Owner), released: true);
        }
    }

    /// <summary>
    /// Ends the user's leg (<paramref name="released"/>: with 134 r-rel and <see cref="ProtocolVariants.ElsewhereCause"/>
    /// first) and rings the route's end with its peer instead; the peers learn the new party, shown as <paramref name="shownToPeers"/>.
    /// </summary>
    private int RingElsewhereLocked(CallLeg leg, Route route, IReadOnlyList<RelatedParty> related, RelatedParty shownToPeers, bool released)
    {
        var peers = PeersOf(leg);
        if (released)
        {
            leg.Phase = 6;
            ReportLocked(leg, "r-rel", cause: ElsewhereCauseLocked());
        }

        EndLegLocked(leg);
        SyncLampLocked(leg.OwnerGuid!);
        var next = AddCalledLegLocked(leg.Call, route, leg.Peer, related);
        OfferLocked(next, route, calling: null);
        foreach (var peer in peers)
        {
            Transferred(peer, route.Party, shownToPeers);
        }

        return next.Handle;
    }

    /// <summary>With <see cref="ProtocolVariants.CfuLegAtDiverter"/>: each user the call passed by cfu or cfb rings for an instant.</summary>
    private void BriefLegsAtDivertersLocked(SimulatedCall call, Route route, Connector peer)
    {
        if (!Variants.CfuLegAtDiverter)
        {
            return;
        }

        foreach (var diverter in route.Passed)
        {
            var leg = AddLegLocked(call, diverter.Guid, Connector.Of(diverter), incoming: true, peer);
            SyncLampLocked(diverter.Guid);
            ReportLocked(leg, "r-setup", added: true);
            leg.Phase = 6;
            ReportLocked(leg, "r-rel", cause: ElsewhereCauseLocked());
            EndLegLocked(leg);
            SyncLampLocked(diverter.Guid);
        }
    }

    /// <summary>The PBX refuses the call this leg made: 6 r-disc with the cause, then the leg is gone.</summary>
    private void RefuseLocked(CallLeg calling, CallCause cause)
    {
        calling.Phase = 6;
        ReportLocked(calling, "r-disc", cause: cause);
        EndLegLocked(calling);
        if (calling.OwnerGuid is { } guid)
        {
            SyncLampLocked(guid);
        }
    }

    /// <summary>The <c>no</c> entries of the leg a diverted call rings: the diverting users, as <see cref="ProtocolVariants.DivertNo"/> says.</summary>
    private IReadOnlyList<RelatedParty> RelatedOf(Route route)
    {
        var diverters = route.Diverters;
        if (diverters.Count == 0)
        {
            return [];
        }

        var last = new RelatedParty("leg2", Connector.Of(diverters[^1]));
        return Variants.DivertNo switch
        {
            DivertNoEntries.Leg2 => [last],
            DivertNoEntries.Leg2AndOrig => [last, new RelatedParty("leg2orig", Connector.Of(diverters[0]))],
            _ => [],
        };
    }

    private CallCause? ElsewhereCauseLocked() =>
        Variants.ElsewhereCause == ElsewhereCause.Cause26 ? CallCause.NonSelectedUser : null;

    /// <summary>
    /// Where a call rings after the forwarding: at <see cref="User"/> (its connector is <see cref="Party"/>), or at
    /// the outside number <see cref="Party"/> (User null). <see cref="Earlier"/> diverted it on no answer before,
    /// <see cref="Passed"/> by cfu or cfb on the way. Refused: do-not-disturb; Party is then the user who refused.
    /// </summary>
    private sealed record Route(SimulatedUser? User, Connector Party, IReadOnlyList<SimulatedUser> Earlier, IReadOnlyList<SimulatedUser> Passed, Forwarding Forwarding)
    {
        public bool Refused { get; init; }

        /// <summary>Every user who diverted the call, the first first.</summary>
        public IReadOnlyList<SimulatedUser> Diverters => [.. Earlier, .. Passed];

        /// <summary>A call for an outside number: it leaves through the trunk, nobody diverted it.</summary>
        public static Route Outside(Connector party, Forwarding forwarding) => new(null, party, [], [], forwarding);
    }
}
