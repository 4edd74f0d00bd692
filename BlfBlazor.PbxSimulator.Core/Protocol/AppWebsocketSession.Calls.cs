using System.Net.WebSockets;
using System.Text.Json;
using BlfBlazor.PbxSimulator.Core.Model;

namespace BlfBlazor.PbxSimulator.Core.Protocol;

/// <summary>
/// RCC's user list and calls (CALLS.md §2): Initialize's initial list and the whole-PBX feed after it,
/// UserInitialize monitors and UserEnd. Each reads the model and starts watching in one step under the
/// PBX lock, so no change falls between the state sent and the updates that follow.
/// </summary>
internal sealed partial class AppWebsocketSession
{
    /// <summary>
    /// Starts live updates for the session and returns the users its initial list will walk through:
    /// one step under the lock, so no change falls between the list and the updates.
    /// </summary>
    private IReadOnlyList<string> StartUserList(RccSubscription subscription) => _pbx.Atomically(() =>
    {
        Subscription = subscription;
        return _pbx.UserGuids;
    });

    /// <summary>
    /// Queues the next batch of the initial list with each user's current state (skipping users
    /// deleted meanwhile), and InitializeResult after the last one. Does nothing while stalled.
    /// </summary>
    private (int Next, bool Finished) QueueInitialBatch(IReadOnlyList<string> guids, int position, int batchSize) => _pbx.Atomically(() =>
    {
        if (Faults.IsStalled || Subscription is not { } subscription)
        {
            return (position, false);
        }

        var end = Math.Min(position + batchSize, guids.Count);
        for (; position < end; position++)
        {
            if (_pbx.Find(guids[position]) is { } user && IsListed(user))
            {
                Queue(new OutboundFrame(PbxMessages.UserInfo(user, null, subscription.Src, _pbx.Variants.PseudoForm), WebSocketMessageType.Text));
            }
        }

        if (position < guids.Count)
        {
            return (position, false);
        }

        Queue(new OutboundFrame(PbxMessages.InitializeResult(subscription.Src), WebSocketMessageType.Text));
        StartCallFeed(subscription);
        return (position, true);
    });

    /// <summary>Whether RCC's user list names the user: every one, but a waiting queue only under <see cref="ProtocolVariants.QueueInUserInfo"/>.</summary>
    private bool IsListed(SimulatedUser user) => !user.IsQueue || _pbx.Variants.QueueInUserInfo;

    /// <summary>The whole-PBX feed goes live after the initial list: calls up now are added first when replayed. Under the PBX lock.</summary>
    private void StartCallFeed(RccSubscription subscription)
    {
        var variants = _pbx.Variants;
        subscription.FirstLegSerial = variants.ReplayCalls ? 0 : _pbx.NextLegSerial;
        if (!subscription.Calls || !variants.ReplayCalls)
        {
            return;
        }

        foreach (var leg in _pbx.LegsInOrder())
        {
            Post(CallMessages.CallAdd(subscription.Src, leg));
            Post(CallMessages.CallUpdate(subscription.Src, leg, leg.LastMsg));
        }
    }

    /// <summary>
    /// Answers a UserInitialize: a new handle for a known cn (then the user's legs, when replayed), else a
    /// failure; also a failure for an <paramref name="hw"/> that is not one of the user's devices. Every
    /// handle of a user reports all the user's legs, with the same <c>call</c> ids (leg ids are PBX-wide).
    /// </summary>
    private void MonitorUser(string? cn, string? hw, JsonElement? src) => _pbx.Atomically(() =>
    {
        var user = _pbx.UserByCn(cn);
        var variants = _pbx.Variants;
        if (user is null || (hw is not null && !SimulatedPbx.DevicesOf(user).Any(device => string.Equals(device.Hw, hw, StringComparison.Ordinal))))
        {
            Post(CallMessages.UserInitializeResult(src, variants.UnknownUser == UserInitializeFailure.UserZero ? 0 : null));
            return;
        }

        var monitor = Watches.AddMonitor(user.Guid, src, variants.ReplayCalls ? 0 : _pbx.NextLegSerial);
        Post(CallMessages.UserInitializeResult(src, monitor.Handle));
        var now = _pbx.TimeProvider.GetUtcNow();
        foreach (var leg in _pbx.LegsOf(user.Guid))
        {
            if (leg.Serial >= monitor.FirstLegSerial)
            {
                Post(CallMessages.CallInfo(monitor, leg, leg.LastMsg, last: false, cause: null, variants, now));
            }
        }
    });

    /// <summary>Answers a UserEnd: the handle stops reporting (unknown handles are answered too).</summary>
    private void EndUserMonitor(int handle, JsonElement? src) => _pbx.Atomically(() =>
    {
        Watches.RemoveMonitor(handle);
        Post(CallMessages.UserEndResult(src));
    });
}
