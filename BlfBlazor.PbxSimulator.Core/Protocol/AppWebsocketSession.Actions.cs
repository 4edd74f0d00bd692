using System.Text.Json;
using BlfBlazor.PbxSimulator.Core.Model;

namespace BlfBlazor.PbxSimulator.Core.Protocol;

/// <summary>
/// Operator actions over RCC (CALLS.md §4, §7.4–7.6): Devices, then UserCall, UserPickup,
/// UserRedirect/UserReroute, UserHold/UserRetrieve, UserTransfer, UserConnect, UserClear, each naming
/// a user by this connection's handle and legs it was told about, and acting through the model. Every
/// action is answered with its Result first, then the frames it caused; <see cref="ProtocolVariants.FailAction"/>
/// forces a failure shape.
/// </summary>
internal sealed partial class AppWebsocketSession
{
    /// <summary>Answers Devices {cn}: the user's devices, none for a cn the PBX does not know.</summary>
    private void ListDevices(string? cn, JsonElement? src) => _pbx.Atomically(() =>
        Post(ActionMessages.DevicesResult(src, _pbx.UserByCn(cn) is { } user ? SimulatedPbx.DevicesOf(user) : [])));

    /// <summary>
    /// UserCall: the handle's user calls a colleague or a number (PhoneMode); a number nobody has (or the
    /// caller's own) ends with cause 1. With ftyNoCF the call breaks through the colleague's forwarding.
    /// </summary>
    private void CallFrom(int handle, DialledParty dialled, bool noForwarding, JsonElement? src) =>
        Act("UserCall", src, resultHasCall: true, () =>
            UserOf(handle) is { } caller ? _pbx.Dial(caller, dialled, noForwarding ? Forwarding.BrokenThrough : Forwarding.Obeyed) : null);

    /// <summary>UserPickup: the handle's user takes the call ringing at cn (the named one, else the first); call:0 when nothing rings there.</summary>
    private void PickupFor(int handle, string? cn, int call, JsonElement? src) =>
        Act("UserPickup", src, resultHasCall: true, () =>
        {
            if (UserOf(handle) is not { } picker || _pbx.UserByCn(cn) is not { } colleague)
            {
                return null;
            }

            var ringing = call != 0 ? LegFor(call) : _pbx.FirstAlertingLegOf(colleague.Guid);
            return ringing is not null && ringing.OwnerGuid == colleague.Guid ? _pbx.Pickup(picker.Guid, ringing.Handle) : null;
        });

    /// <summary>
    /// UserRedirect / UserReroute: deflects a ringing call, blind-transfers a connected one; UserReroute
    /// follows the target's forwarding, UserRedirect ignores it and rings the desk (PBXAPIS.md §4).
    /// </summary>
    private void Redirect(string mt, int call, DialledParty dialled, JsonElement? src) =>
        Act(mt, src, resultHasCall: false, () => LegFor(call) is { } leg
            ? _pbx.Redirect(leg, dialled, mt == "UserReroute" ? Forwarding.Obeyed : Forwarding.BrokenThrough)
            : null);

    /// <summary>UserHold / UserRetrieve: as if the owner pressed hold on the phone (§7.3).</summary>
    private void HoldFor(string mt, int call, bool held, JsonElement? src) =>
        Act(mt, src, resultHasCall: false, () =>
            LegFor(call) is { } leg && (held ? _pbx.Hold(leg.Handle) : _pbx.Retrieve(leg.Handle)) ? leg.Handle : null);

    /// <summary>UserTransfer {a, b}: joins the peers of the user's two legs and leaves the user out (§7.4).</summary>
    private void TransferFor(int a, int b, JsonElement? src) =>
        Act("UserTransfer", src, resultHasCall: false, () =>
            LegFor(a) is { } held && LegFor(b) is { } consult && _pbx.TransferAttended(held.Handle, consult.Handle) ? held.Handle : null);

    /// <summary>UserConnect: answers a call alerting at the user's phone.</summary>
    private void ConnectFor(int call, JsonElement? src) =>
        Act("UserConnect", src, resultHasCall: false, () =>
            LegFor(call) is { IsAlerting: true } leg && _pbx.Answer(leg.Handle) ? leg.Handle : null);

    /// <summary>UserClear {call, cause}: the user's side hangs up; the others hear the cause (16 when none is given).</summary>
    private void ClearFor(int call, int? cause, JsonElement? src) =>
        Act("UserClear", src, resultHasCall: false, () =>
        {
            if (LegFor(call) is not { } leg)
            {
                return null;
            }

            _pbx.HangUp(leg, CallCause.Of(cause ?? CallCause.NormalClearing.Code));
            return leg.Handle;
        });

    /// <summary>
    /// Runs one action in one step under the PBX lock and answers it: <c>&lt;mt&gt;Result</c> first (with
    /// <c>call</c> = the new leg where the Result has one), then every frame the action caused this session.
    /// <paramref name="act"/> returns the leg it made or acted on, or null when the PBX cannot do it:
    /// then <c>call:0</c>, or <c>error</c> for Results without a call, and nothing changed.
    /// </summary>
    private void Act(string mt, JsonElement? src, bool resultHasCall, Func<int?> act) => _pbx.Atomically(() =>
    {
        switch (_pbx.Variants.FailAction)
        {
            case ActionFailure.Silence:
                return;
            case ActionFailure.CallZero:
                Post(ActionMessages.Result(mt, src, resultHasCall ? 0 : null, errorText: null));
                return;
            case ActionFailure.Error:
                Post(ActionMessages.Result(mt, src, call: null, "Not possible now"));
                return;
        }

        HoldPosts();
        int? done;
        List<byte[]> caused;
        try
        {
            done = act();
        }
        finally
        {
            caused = ReleasePosts();
        }

        Post(resultHasCall
            ? ActionMessages.Result(mt, src, done ?? 0, errorText: null)
            : ActionMessages.Result(mt, src, call: null, done is null ? "No such call, or not in a state for " + mt : null));
        foreach (var frame in caused)
        {
            Post(frame);
        }
    });

    /// <summary>The user behind a handle this session got from UserInitialize; null for any other number or a user deleted since.</summary>
    private SimulatedUser? UserOf(int handle) =>
        Watches.MonitorOf(handle) is { } monitor ? _pbx.Find(monitor.Guid) : null;

    /// <summary>A leg this session may act on: one that exists and, unless AcceptForeignHandles, was reported on one of its handles.</summary>
    private CallLeg? LegFor(int call)
    {
        if (_pbx.LegOf(call) is not { } leg)
        {
            return null;
        }

        return _pbx.Variants.AcceptForeignHandles
            || (leg.OwnerGuid is { } guid && Watches.MonitorsOf(guid).Any(monitor => leg.Serial >= monitor.FirstLegSerial))
            ? leg : null;
    }
}
