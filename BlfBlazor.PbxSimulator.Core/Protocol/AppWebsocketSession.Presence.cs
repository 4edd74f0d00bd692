using System.Text.Json;
using BlfBlazor.PbxSimulator.Core.Model;

namespace BlfBlazor.PbxSimulator.Core.Protocol;

/// <summary>
/// PbxApi presence (CALLS.md §3, §7.7; PBXAPIS.md §3.1): this connection's subscriptions, keyed by their
/// src, and SetPresence. Every frame carries the subscription's src only; the updates come from the model's presence changes.
/// </summary>
internal sealed partial class AppWebsocketSession
{
    /// <summary>Answers SubscribePresence {sip | num, src}, in the order and with the monitor state the variants say.</summary>
    private void SubscribePresence(string? sip, string? num, JsonElement? src) => _pbx.Atomically(() =>
    {
        var variants = _pbx.Variants;
        if (RefusedPbxApi(variants, "SubscribePresence", src))
        {
            return;
        }

        var user = _pbx.UserBySipOrNum(sip, num);
        var key = PresenceKey(src, sip ?? num ?? "");
        var before = Watches.PresenceCount;
        Watches.AddPresence(new PresenceWatch(key, user?.Guid, sip ?? num ?? "", src));
        _pbx.CountPresenceSubscriptions(Watches.PresenceCount - before);

        var up = user is not null && _pbx.IsPresenceUp(user.Guid);
        var result = PresenceMessages.SubscribeResult(src);
        var state = variants.PresenceOrder == PresenceAnswerOrder.ResultUpdateWithoutState ? null
            : PresenceMessages.State(src, user, sip ?? "", up);
        var update = up ? PresenceMessages.Update(src, _pbx.PresenceOf(user!.Guid), user.Registered) : null;

        var order = variants.PresenceOrder == PresenceAnswerOrder.Shuffled
            ? (PresenceAnswerOrder)_pbx.Draw((int)PresenceAnswerOrder.UpdateStateResult + 1)
            : variants.PresenceOrder;
        // The enum's names spell the order by initials (Result, State, Update); each occurs once.
        foreach (var initial in order.ToString())
        {
            if ((initial switch { 'R' => result, 'S' => state, 'U' => update, _ => null }) is { } frame)
            {
                Post(frame);
            }
        }
    });

    /// <summary>Answers UnsubscribePresence: ends the subscription with this src (else this sip or num).</summary>
    private void UnsubscribePresence(string? sip, string? num, JsonElement? src) => _pbx.Atomically(() =>
    {
        if (RefusedPbxApi(_pbx.Variants, "UnsubscribePresence", src))
        {
            return;
        }

        var key = src is not null ? PresenceKey(src, "") : Watches.PresenceKeyOfSip(sip ?? num ?? "");
        if (key is not null && Watches.RemovePresence(key))
        {
            _pbx.CountPresenceSubscriptions(-1);
        }

        Post(PresenceMessages.UnsubscribeResult(src));
    });

    /// <summary>
    /// Answers SetPresence {sip | guid, contact, activity, note}: the Result first (as SetPresenceOk says, or
    /// error 1 for a user the PBX does not know), then the change reaches every subscription of the user.
    /// </summary>
    private void SetPresenceFor(JsonElement message, JsonElement? src) => _pbx.Atomically(() =>
    {
        var variants = _pbx.Variants;
        if (RefusedPbxApi(variants, "SetPresence", src))
        {
            return;
        }

        if (TargetOf(message) is not { } user)
        {
            Post(PresenceMessages.SetPresenceResult(src, 1, "Unknown user"));
            return;
        }

        Post(PresenceMessages.SetPresenceResult(src, variants.SetPresenceOk == SetPresenceSuccess.ErrorZero ? 0 : null, null));
        _pbx.SetPresence(user.Guid, StringProperty(message, "activity") ?? "", StringProperty(message, "note") ?? "");
    });

    private bool RefusedPbxApi(ProtocolVariants variants, string mt, JsonElement? src)
    {
        switch (variants.PbxApiRefused)
        {
            case PbxApiRefusal.Silence:
                return true;
            case PbxApiRefusal.Error:
                Post(PresenceMessages.Refused(mt, src));
                return true;
            default:
                return false;
        }
    }

    private static string PresenceKey(JsonElement? src, string sipOrNum) =>
        src is { } tag ? "src:" + tag.GetRawText() : "sip:" + sipOrNum;
}
