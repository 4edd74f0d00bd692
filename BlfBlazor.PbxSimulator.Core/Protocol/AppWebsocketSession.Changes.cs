using BlfBlazor.PbxSimulator.Core.Model;

namespace BlfBlazor.PbxSimulator.Core.Protocol;

/// <summary>
/// The model's changes as this connection's frames: a UserInfo once RCC Initialize arrived, a table row
/// once ReplicateStart arrived, a
/// PresenceUpdate per presence subscription of the user, a CallInfo per monitor of the leg's user and
/// CallAdd/CallUpdate/CallDel on the whole-PBX feed. Called by the model under its lock, in order.
/// </summary>
internal sealed partial class AppWebsocketSession
{
    void IPbxObserver.UserChanged(SimulatedUser user)
    {
        if (Subscription is { } subscription && IsListed(user))
        {
            Post(PbxMessages.UserInfo(user, "upd", subscription.Src, _pbx.Variants.PseudoForm));
        }

        ReplicateChange(user);
    }

    void IPbxObserver.UserRemoved(string guid)
    {
        if (Subscription is { } subscription)
        {
            Post(PbxMessages.UserRemoved(guid, subscription.Src));
        }

        ReplicateRemoval(guid);
    }

    void IPbxObserver.PresenceChanged(SimulatedUser user, UserPresence presence)
    {
        foreach (var watch in Watches.PresenceOf(user.Guid))
        {
            Post(PresenceMessages.Update(watch.Src, presence, user.Registered));
        }
    }

    void IPbxObserver.LegChanged(LegChange change)
    {
        var leg = change.Leg;
        var variants = _pbx.Variants;
        if (leg.OwnerGuid is { } guid)
        {
            foreach (var monitor in Watches.MonitorsOf(guid))
            {
                if (leg.Serial >= monitor.FirstLegSerial)
                {
                    Post(CallMessages.CallInfo(monitor, leg, change.Msg, change.Last, change.Cause, variants, change.At));
                }
            }
        }

        if (Subscription is { Calls: true } feed && leg.Serial >= feed.FirstLegSerial)
        {
            if (change.Last)
            {
                Post(CallMessages.CallDeleted(feed.Src, leg, variants.DeleteName));
                return;
            }

            if (change.Added)
            {
                Post(CallMessages.CallAdd(feed.Src, leg));
            }

            Post(CallMessages.CallUpdate(feed.Src, leg, change.Msg));
        }
    }
}
