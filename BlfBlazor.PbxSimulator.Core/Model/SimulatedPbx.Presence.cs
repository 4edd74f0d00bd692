using System.Text.Json;
using BlfBlazor.PbxSimulator.Core.Hosting;
using BlfBlazor.PbxSimulator.Core.Protocol;

namespace BlfBlazor.PbxSimulator.Core.Model;

/// <summary>
/// Presence as PbxApi reports it (CALLS.md §3, §7.7): what each user set, and the subscriptions of
/// each session, keyed by their src. Every frame carries the subscription's src only.
/// </summary>
public sealed partial class SimulatedPbx
{
    private readonly Dictionary<string, UserPresence> _presence = new(StringComparer.Ordinal);

    /// <summary>The user sets an activity ("" = available; away, busy, dnd, lunch or any word) and a note; every subscriber gets the full list.</summary>
    /// <exception cref="KeyNotFoundException">There is no user with this guid.</exception>
    public void SetPresence(string guid, string activity, string note)
    {
        ArgumentNullException.ThrowIfNull(activity);
        ArgumentNullException.ThrowIfNull(note);
        lock (_gate)
        {
            var user = UserLocked(guid);
            var presence = new UserPresence(activity, note);
            if (presence == UserPresence.Available)
            {
                _presence.Remove(guid);
            }
            else
            {
                _presence[guid] = presence;
            }

            if (InjectedFaults.IsStalled || !IsPresenceUpLocked(guid))
            {
                return;
            }

            foreach (var session in _sessions)
            {
                foreach (var watch in session.Watches.PresenceOf(guid))
                {
                    session.Post(PresenceMessages.Update(watch.Src, presence, user.Registered));
                }
            }
        }
    }

    /// <summary>Back to available, without a note.</summary>
    public void ClearPresence(string guid) => SetPresence(guid, "", "");

    /// <summary>Presence subscriptions open on all sessions.</summary>
    public int PresenceSubscriptions
    {
        get { lock (_gate) { return _sessions.Sum(session => session.Watches.PresenceCount); } }
    }

    /// <summary>Answers SubscribePresence {sip | num, src}, in the order and with the monitor state the variants say.</summary>
    internal void SubscribePresence(AppWebsocketSession session, string? sip, string? num, JsonElement? src)
    {
        lock (_gate)
        {
            var variants = Variants;
            if (RefusedPbxApi(session, variants, "SubscribePresence", src))
            {
                return;
            }

            var user = _users.Values.FirstOrDefault(candidate =>
                sip is not null ? string.Equals(candidate.H323, sip, StringComparison.Ordinal)
                : num is not null && string.Equals(candidate.E164, num, StringComparison.Ordinal));
            var key = PresenceKey(src, sip ?? num ?? "");
            session.Watches.AddPresence(new PresenceWatch(key, user?.Guid, sip ?? num ?? "", src));

            var up = user is not null && IsPresenceUpLocked(user.Guid);
            var result = PresenceMessages.SubscribeResult(src);
            var state = variants.PresenceOrder == PresenceAnswerOrder.ResultUpdateWithoutState ? null
                : PresenceMessages.State(src, user, sip ?? "", up);
            var update = up ? PresenceMessages.Update(src, _presence.GetValueOrDefault(user!.Guid, UserPresence.Available), user.Registered) : null;

            var order = variants.PresenceOrder == PresenceAnswerOrder.Shuffled
                ? (PresenceAnswerOrder)_ids.Next((int)PresenceAnswerOrder.UpdateStateResult + 1)
                : variants.PresenceOrder;
            // The enum's names spell the order by initials (Result, State, Update); each occurs once.
            foreach (var initial in order.ToString())
            {
                if ((initial switch { 'R' => result, 'S' => state, 'U' => update, _ => null }) is { } frame)
                {
                    session.Post(frame);
                }
            }
        }
    }

    /// <summary>Answers UnsubscribePresence: ends the subscription with this src (else this sip or num).</summary>
    internal void UnsubscribePresence(AppWebsocketSession session, string? sip, string? num, JsonElement? src)
    {
        lock (_gate)
        {
            if (RefusedPbxApi(session, Variants, "UnsubscribePresence", src))
            {
                return;
            }

            var key = src is not null ? PresenceKey(src, "") : session.Watches.PresenceKeyOfSip(sip ?? num ?? "");
            if (key is not null)
            {
                session.Watches.RemovePresence(key);
            }

            session.Post(PresenceMessages.UnsubscribeResult(src));
        }
    }

    private static bool RefusedPbxApi(AppWebsocketSession session, ProtocolVariants variants, string mt, JsonElement? src)
    {
        switch (variants.PbxApiRefused)
        {
            case PbxApiRefusal.Silence:
                return true;
            case PbxApiRefusal.Error:
                session.Post(PresenceMessages.Refused(mt, src));
                return true;
            default:
                return false;
        }
    }

    private static string PresenceKey(JsonElement? src, string sipOrNum) =>
        src is { } tag ? "src:" + tag.GetRawText() : "sip:" + sipOrNum;

    private bool IsPresenceUpLocked(string guid) => Variants.PresenceDown switch
    {
        PresenceDownShare.All => false,
        PresenceDownShare.Some => _users.IndexOf(guid) % 3 != 0,
        _ => true,
    };
}
