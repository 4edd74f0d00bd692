using System.Text.Json;
using BlfBlazor.PbxSimulator.Core.Hosting;
using BlfBlazor.PbxSimulator.Core.Protocol;

namespace BlfBlazor.PbxSimulator.Core.Model;

/// <summary>What a UserCall or UserRedirect names as its destination: one of cn, h323, e164 (the first given counts).</summary>
internal sealed record DialledParty(string? Cn, string? H323, string? E164);

/// <summary>
/// Operator actions over RCC (CALLS.md §4, §7.4–7.6): Devices, then UserCall, UserPickup,
/// UserRedirect/UserReroute, UserHold/UserRetrieve, UserTransfer, UserConnect, UserClear, each acting
/// on the call model through the same steps a phone takes. Every action is answered with its Result
/// first, then the frames it caused; <see cref="ProtocolVariants.FailAction"/> forces a failure shape.
/// Also the record of every RCC request read, for tests.
/// </summary>
public sealed partial class SimulatedPbx
{
    private readonly RequestLog _requests = new();

    /// <summary>Every RCC request the sessions read after their login, oldest first (the latest 10,000).</summary>
    public IReadOnlyList<RccRequest> Requests => _requests.Snapshot;

    /// <summary>Completes with the next RCC request of this <c>mt</c> read after the call, once the PBX has acted on it.</summary>
    public Task<RccRequest> NextRequestAsync(string mt, CancellationToken ct) => _requests.NextAsync(mt, ct);

    internal void RecordRequest(RccRequest request) => _requests.Add(request);

    /// <summary>A user's devices for Devices and UserInitialize's <c>hw</c>: the desk phone its registration names, and a softphone.</summary>
    internal static IReadOnlyList<(string Hw, string Text)> DevicesOf(SimulatedUser user) =>
        [(PbxMessages.HardwareId(user), "IP232 desk phone"), ("SW-" + user.H323, "myApps softphone")];

    /// <summary>Answers Devices {cn}: the user's devices, none for a cn the PBX does not know.</summary>
    internal void ListDevices(AppWebsocketSession session, string? cn, JsonElement? src)
    {
        lock (_gate)
        {
            session.Post(ActionMessages.DevicesResult(src, UserByCnLocked(cn) is { } user ? DevicesOf(user) : []));
        }
    }

    /// <summary>UserCall: the handle's user calls a colleague or a number (PhoneMode); a number nobody has (or the caller's own) ends with cause 1.</summary>
    internal void CallFrom(AppWebsocketSession session, int handle, DialledParty dialled, JsonElement? src) =>
        Act(session, "UserCall", src, resultHasCall: true, () =>
            UserOfLocked(session, handle) is { } caller ? DialLocked(caller, DestinationLocked(dialled) is var destination
                && destination.User?.Guid == caller.Guid ? destination with { User = null, Peer = null } : destination) : null);

    /// <summary>UserPickup: the handle's user takes the call ringing at cn (the named one, else the first); call:0 when nothing rings there.</summary>
    internal void PickupFor(AppWebsocketSession session, int handle, string? cn, int call, JsonElement? src) =>
        Act(session, "UserPickup", src, resultHasCall: true, () =>
        {
            if (UserOfLocked(session, handle) is not { } picker || UserByCnLocked(cn) is not { } colleague)
            {
                return null;
            }

            var ringing = call != 0 ? LegForLocked(session, call)
                : _legsByUser.GetValueOrDefault(colleague.Guid)?.FirstOrDefault(leg => leg.IsAlerting);
            return ringing is not null && ringing.OwnerGuid == colleague.Guid ? Pickup(picker.Guid, ringing.Handle) : null;
        });

    /// <summary>UserRedirect / UserReroute (the same here: no user has call forwarding): deflects a ringing call, blind-transfers a connected one.</summary>
    internal void Redirect(AppWebsocketSession session, string mt, int call, DialledParty dialled, JsonElement? src) =>
        Act(session, mt, src, resultHasCall: false, () =>
        {
            var destination = DestinationLocked(dialled);
            if (LegForLocked(session, call) is not { OwnerGuid: { } owner } leg || destination.Peer is null || destination.User?.Guid == owner)
            {
                return null;
            }

            return RedirectLocked(leg, destination.User?.Guid, destination.User is { } user ? Connector.Of(user) : destination.Peer);
        });

    /// <summary>UserHold / UserRetrieve: as if the owner pressed hold on the phone (§7.3).</summary>
    internal void HoldFor(AppWebsocketSession session, string mt, int call, bool held, JsonElement? src) =>
        Act(session, mt, src, resultHasCall: false, () =>
            LegForLocked(session, call) is { } leg && SetHold(leg.Handle, held) ? leg.Handle : null);

    /// <summary>UserTransfer {a, b}: joins the peers of the user's two legs and leaves the user out (§7.4).</summary>
    internal void TransferFor(AppWebsocketSession session, int a, int b, JsonElement? src) =>
        Act(session, "UserTransfer", src, resultHasCall: false, () =>
            LegForLocked(session, a) is { } held && LegForLocked(session, b) is { } consult && TransferAttended(held.Handle, consult.Handle) ? held.Handle : null);

    /// <summary>UserConnect: answers a call alerting at the user's phone.</summary>
    internal void ConnectFor(AppWebsocketSession session, int call, JsonElement? src) =>
        Act(session, "UserConnect", src, resultHasCall: false, () =>
            LegForLocked(session, call) is { IsAlerting: true } leg && ConnectLocked(leg.Call) ? leg.Handle : null);

    /// <summary>UserClear {call, cause}: the user's side hangs up; the others hear the cause (16 when none is given).</summary>
    internal void ClearFor(AppWebsocketSession session, int call, int? cause, JsonElement? src) =>
        Act(session, "UserClear", src, resultHasCall: false, () =>
        {
            if (LegForLocked(session, call) is not { } leg)
            {
                return null;
            }

            HangUpLocked(leg, CallCause.Of(cause ?? CallCause.NormalClearing.Code));
            return leg.Handle;
        });

    /// <summary>
    /// Runs one action for a session under the PBX lock and answers it: <c>&lt;mt&gt;Result</c> first (with
    /// <c>call</c> = the new leg where the Result has one), then every frame the action caused this session.
    /// <paramref name="act"/> returns the leg it made or acted on, or null when the PBX cannot do it:
    /// then <c>call:0</c>, or <c>error</c> for Results without a call, and nothing changed.
    /// </summary>
    private void Act(AppWebsocketSession session, string mt, JsonElement? src, bool resultHasCall, Func<int?> act)
    {
        lock (_gate)
        {
            switch (Variants.FailAction)
            {
                case ActionFailure.Silence:
                    return;
                case ActionFailure.CallZero:
                    session.Post(ActionMessages.Result(mt, src, resultHasCall ? 0 : null, errorText: null));
                    return;
                case ActionFailure.Error:
                    session.Post(ActionMessages.Result(mt, src, call: null, "Not possible now"));
                    return;
            }

            session.HoldPosts();
            int? done;
            List<byte[]> caused;
            try
            {
                done = act();
            }
            finally
            {
                caused = session.ReleasePosts();
            }

            session.Post(resultHasCall
                ? ActionMessages.Result(mt, src, done ?? 0, errorText: null)
                : ActionMessages.Result(mt, src, call: null, done is null ? "No such call, or not in a state for " + mt : null));
            foreach (var frame in caused)
            {
                session.Post(frame);
            }
        }
    }

    /// <summary>
    /// The caller's phone dials: an innovaphone phone goes 1 x-setup, 4 r-alert as the far end rings; a
    /// third-party phone is rung and answers first (129, 132, 133), then the far end rings on the same leg.
    /// A destination nobody has ends the leg with cause 1. Returns the caller's leg.
    /// </summary>
    private int DialLocked(SimulatedUser caller, Destination destination)
    {
        if (Variants.PhoneMode == ClickToCallPhone.Innovaphone && destination.Peer is not null)
        {
            return destination.User is { } callee
                ? StartInternalCall(caller.Guid, callee.Guid).CallerLeg
                : StartOutgoingExternalCall(caller.Guid, destination.Peer.E164).CallerLeg;
        }

        var call = NewCallLocked();
        var thirdParty = Variants.PhoneMode == ClickToCallPhone.ThirdParty;
        var leg = AddLegLocked(call, caller.Guid, Connector.Of(caller), incoming: thirdParty, destination.Peer ?? Connector.Outside(destination.Dialled));
        SyncLampLocked(caller.Guid);
        if (thirdParty)
        {
            ReportLocked(leg, "r-setup", added: true);
            leg.Phase = 4;
            ReportLocked(leg, "x-alert");
            leg.Phase = 5;
            SyncLampLocked(caller.Guid);
            ReportLocked(leg, "x-conn");
        }
        else
        {
            ReportLocked(leg, "x-setup", added: true);
        }

        if (destination.Peer is null)
        {
            leg.Phase = 6;
            ReportLocked(leg, "r-disc", cause: CallCause.Unallocated);
            EndLegLocked(leg);
            SyncLampLocked(caller.Guid);
            return leg.Handle;
        }

        leg.DialsOut = true;
        var far = AddLegLocked(call, destination.User?.Guid, destination.User is { } user ? Connector.Of(user) : destination.Peer, incoming: true, Connector.Of(caller));
        if (destination.User is { } rung)
        {
            SyncLampLocked(rung.Guid);
        }

        ReportLocked(far, "r-setup", added: true);
        far.Phase = 4;
        ReportLocked(far, "x-alert");
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
        if (!typed.StartsWith('+') && _users.Values.FirstOrDefault(user => user.E164 == digits) is { } internalUser)
        {
            return Reached(internalUser, number);
        }

        var outside = typed.StartsWith('+') ? digits.Length >= 6 : digits.StartsWith('0') && digits.Length >= 4;
        return new Destination(null, outside ? Connector.Outside(number) : null, number);

        static Destination Reached(SimulatedUser? user, string dialledText) =>
            new(user, user is null ? null : Connector.Of(user), dialledText);
    }

    /// <summary>The user behind a handle this session got from UserInitialize; null for any other number or a user deleted since.</summary>
    private SimulatedUser? UserOfLocked(AppWebsocketSession session, int handle) =>
        session.Watches.MonitorOf(handle) is { } monitor ? _users.GetValueOrDefault(monitor.Guid) : null;

    /// <summary>A leg a session may act on: one that exists and, unless AcceptForeignHandles, was reported on one of its handles.</summary>
    private CallLeg? LegForLocked(AppWebsocketSession session, int call)
    {
        if (!_legs.TryGetValue(call, out var leg))
        {
            return null;
        }

        return Variants.AcceptForeignHandles
            || (leg.OwnerGuid is { } guid && session.Watches.MonitorsOf(guid).Any(monitor => leg.Serial >= monitor.FirstLegSerial))
            ? leg : null;
    }

    private SimulatedUser? UserByCnLocked(string? cn) =>
        cn is null ? null : _users.Values.FirstOrDefault(user => string.Equals(user.Cn, cn, StringComparison.Ordinal));

    /// <summary>A user (then Peer is the user), an outside number, or nobody (Peer null; Dialled is what was asked for).</summary>
    private sealed record Destination(SimulatedUser? User, Connector? Peer, string Dialled);
}
