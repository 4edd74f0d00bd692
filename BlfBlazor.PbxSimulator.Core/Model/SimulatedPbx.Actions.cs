namespace BlfBlazor.PbxSimulator.Core.Model;

/// <summary>What a UserCall, UserRedirect or a diversion names as its destination: one of cn, h323, e164 (the first given counts).</summary>
internal sealed record DialledParty(string? Cn, string? H323, string? E164);

/// <summary>
/// What an operator makes the PBX do (CALLS.md §4, §7.4–7.6) beyond a phone's own buttons: a user's
/// devices, click-to-call, taking a colleague's ringing call, sending a leg elsewhere, each through the
/// same steps a phone takes. Which user and which legs an RCC request may act on, and how it is
/// answered, is the session's business. Also the record of every request read (RCC, PbxApi,
/// PbxTableUsers), for tests.
/// </summary>
public sealed partial class SimulatedPbx
{
    private readonly RequestLog _requests = new();

    /// <summary>Every RCC, PbxApi and PbxTableUsers request the sessions read after their login, oldest first (the latest 10,000).</summary>
    public IReadOnlyList<RccRequest> Requests => _requests.Snapshot;

    /// <summary>Completes with the next request of this <c>mt</c> (of any of those APIs) read after the call, once the PBX has acted on it.</summary>
    public Task<RccRequest> NextRequestAsync(string mt, CancellationToken ct) => _requests.NextAsync(mt, ct);

    internal void RecordRequest(RccRequest request) => _requests.Add(request);

    /// <summary>A user's devices for Devices and UserInitialize's <c>hw</c>: the desk phone its registration names, and a softphone.</summary>
    internal static IReadOnlyList<(string Hw, string Text)> DevicesOf(SimulatedUser user) =>
        [(HardwareId(user), "IP232 desk phone"), ("SW-" + user.H323, "myApps softphone")];

    /// <summary>A device id in the style of innovaphone phones (model, then the end of the MAC address).</summary>
    internal static string HardwareId(SimulatedUser user) =>
        "IP232-" + (user.Guid.Length >= 6 ? user.Guid[^6..] : user.Guid);

    /// <summary>The user with this cn; null for none.</summary>
    internal SimulatedUser? UserByCn(string? cn)
    {
        lock (_gate)
        {
            return UserByCnLocked(cn);
        }
    }

    /// <summary>The first of the user's legs that rings at the user's phone, for a queue its longest-waiting caller; null when none does.</summary>
    internal CallLeg? FirstAlertingLegOf(string guid)
    {
        lock (_gate)
        {
            return _legsByUser.GetValueOrDefault(guid)?.FirstOrDefault(leg => leg.IsAlerting || leg.Call.Queued?.QueueLeg == leg);
        }
    }

    /// <summary>
    /// Click-to-call: the caller's phone dials a colleague or a number; a number nobody has (or the caller's
    /// own) ends with cause 1. The call follows the colleague's forwarding, or breaks through it to the desk
    /// (ftyNoCF). Returns the caller's leg.
    /// </summary>
    internal int Dial(SimulatedUser caller, DialledParty dialled, Forwarding forwarding)
    {
        lock (_gate)
        {
            return DialLocked(caller, DestinationLocked(dialled) is var destination
                && destination.User?.Guid == caller.Guid ? destination with { User = null, Peer = null } : destination, forwarding);
        }
    }

    /// <summary>
    /// The leg's owner sends it to what was dialled: a ringing leg is deflected, a connected one
    /// blind-transferred; UserReroute follows the target's forwarding, UserRedirect rings the desk.
    /// Null when nobody is reached, it is the owner, or the target refuses calls (do-not-disturb).
    /// </summary>
    internal int? Redirect(CallLeg leg, DialledParty dialled, Forwarding forwarding)
    {
        lock (_gate)
        {
            var destination = DestinationLocked(dialled);
            if (leg.OwnerGuid is not { } owner || destination.Peer is null || destination.User?.Guid == owner)
            {
                return null;
            }

            return RedirectLocked(leg, destination.User is { } user
                ? RouteLocked(user, forwarding, owner)
                : Route.Outside(destination.Peer, forwarding));
        }
    }

    /// <summary>
    /// The caller's phone dials: an innovaphone phone goes 1 x-setup, 4 r-alert as the far end rings; a
    /// third-party phone is rung and answers first (129, 132, 133), then the far end rings on the same leg
    /// (or, not taken, its ring ends and nothing is dialled).
    /// A destination nobody has ends the leg with cause 1, one that refuses calls with cause 17. Returns the caller's leg.
    /// </summary>
    private int DialLocked(SimulatedUser caller, Destination destination, Forwarding forwarding)
    {
        if (Variants.PhoneMode == ClickToCallPhone.Innovaphone && destination.Peer is not null)
        {
            return destination.User is { } callee
                ? StartInternalCallLocked(caller, callee, forwarding).CallerLeg
                : StartOutgoingExternalCall(caller.Guid, destination.Peer.E164).CallerLeg;
        }

        var route = destination.User is { } user ? RouteLocked(user, forwarding, caller.Guid)
            : destination.Peer is { } outside ? Route.Outside(outside, forwarding)
            : null;
        var call = NewCallLocked();
        var thirdParty = Variants.PhoneMode is ClickToCallPhone.ThirdParty or ClickToCallPhone.ThirdPartyNotTaken;
        var leg = AddLegLocked(call, caller.Guid, Connector.Of(caller), incoming: thirdParty, route?.Party ?? Connector.Outside(destination.Dialled));
        SyncLampLocked(caller.Guid);
        if (thirdParty)
        {
            ReportLocked(leg, "r-setup", added: true);
            leg.Phase = 4;
            ReportLocked(leg, "x-alert");
            if (Variants.PhoneMode == ClickToCallPhone.ThirdPartyNotTaken)
            {
                leg.Phase = 6;
                ReportLocked(leg, "r-rel", cause: CallCause.NoAnswer);
                EndLegLocked(leg);
                SyncLampLocked(caller.Guid);
                return leg.Handle;
            }

            leg.Phase = 5;
            SyncLampLocked(caller.Guid);
            ReportLocked(leg, "x-conn");
        }
        else
        {
            ReportLocked(leg, "x-setup", added: true);
        }

        if (route is null || route.Refused)
        {
            RefuseLocked(leg, route is null ? CallCause.Unallocated : CallCause.UserBusy);
            return leg.Handle;
        }

        leg.DialsOut = true;
        OfferLocked(AddCalledLegLocked(call, route, Connector.Of(caller), RelatedOf(route)), route, calling: null);
        return leg.Handle;
    }

    /// <summary>
    /// Who a dialled cn, h323 or number reaches. Numbers are read as the board sends what people type
    /// (digits, maybe a leading +; anything else is dropped): a user's e164 is that user; with a leading +
    /// (6 digits or more) or the trunk digit 0 (4 or more) an outside number; else nobody (Peer null).
    /// </summary>
    private Destination DestinationLocked(DialledParty dialled)
    {
        if (dialled.Cn is { } cn)
        {
            return Reached(UserByCnLocked(cn), cn);
        }

        if (dialled.H323 is { } h323)
        {
            return Reached(_users.Values.FirstOrDefault(user => string.Equals(user.H323, h323, StringComparison.OrdinalIgnoreCase)), h323);
        }

        var typed = dialled.E164?.Trim() ?? "";
        var digits = string.Concat(typed.Where(char.IsAsciiDigit));
        var number = typed.StartsWith('+') ? "+" + digits : digits;
        if (!typed.StartsWith('+') && digits.Length > 0 && _users.Values.FirstOrDefault(user => user.E164 == digits) is { } internalUser)
        {
            return Reached(internalUser, number);
        }

        var outside = typed.StartsWith('+') ? digits.Length >= 6 : digits.StartsWith('0') && digits.Length >= 4;
        return new Destination(null, outside ? Connector.Outside(number) : null, number);

        static Destination Reached(SimulatedUser? user, string dialledText) =>
            new(user, user is null ? null : Connector.Of(user), dialledText);
    }

    private SimulatedUser? UserByCnLocked(string? cn) =>
        cn is null ? null : _users.Values.FirstOrDefault(user => string.Equals(user.Cn, cn, StringComparison.Ordinal));

    /// <summary>A user (then Peer is the user), an outside number, or nobody (Peer null; Dialled is what was asked for).</summary>
    private sealed record Destination(SimulatedUser? User, Connector? Peer, string Dialled);
}
