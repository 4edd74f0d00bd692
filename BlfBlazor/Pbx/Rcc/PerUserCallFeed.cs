using BlfBlazor.State;

namespace BlfBlazor.Pbx.Rcc;

/// <summary>
/// <c>Pbx:CallFeed=PerUser</c>: an RCC <c>UserInitialize</c> for every user on the board (by <c>cn</c>,
/// each with its own <c>src</c>, at most <see cref="MaxInFlight"/> unanswered, like the PBX's own
/// paced list), <c>UserEnd</c> when a user is deleted, and every <c>CallInfo</c> into the state.
/// </summary>
internal sealed class PerUserCallFeed(IPbxStateWriter state, CallLegs legs, int maxMonitored, PbxSend send) : IUserMonitor
{
    public const int MaxInFlight = 50;
    private const string SrcPrefix = "u:";

    private readonly Queue<(string Guid, string Cn)> _waiting = new();
    private readonly HashSet<string> _requested = new(StringComparer.Ordinal);
    private readonly Dictionary<uint, string> _guidByHandle = [];
    private readonly Dictionary<string, uint> _handleByGuid = new(StringComparer.Ordinal);
    private readonly Dictionary<uint, Dictionary<uint, (CallStateBits State, CallLeg Leg)>> _legsByUser = [];
    private int _inFlight;

    public int Monitored => _handleByGuid.Count;

    public string? Problem { get; private set; }

    /// <summary>The user a handle of this monitor belongs to.</summary>
    public string? GuidOf(uint handle) => _guidByHandle.GetValueOrDefault(handle);

    public async ValueTask UserListedAsync(PbxUserInfo user, CancellationToken cancellationToken)
    {
        if (_requested.Contains(user.Guid))
        {
            // The lamp bounds what this connection remembers: no channel, nothing ringing, no legs.
            if (user is { Channel: 0, Alert: 0 } && _handleByGuid.TryGetValue(user.Guid, out var monitored))
            {
                _legsByUser.Remove(monitored);
            }

            return;
        }

        // One monitor per cn: two would report every call twice.
        if (user.Cn is null)
        {
            return;
        }

        if (_requested.Count >= maxMonitored)
        {
            Problem ??= $"More users than Pbx:MaxMonitoredUsers ({maxMonitored}): the rest show lamps without call detail.";
            return;
        }

        _requested.Add(user.Guid);
        _waiting.Enqueue((user.Guid, user.Cn));
        await PumpAsync(cancellationToken);
    }

    public async ValueTask UserDeletedAsync(string guid, CancellationToken cancellationToken)
    {
        _requested.Remove(guid);
        if (_handleByGuid.Remove(guid, out var handle))
        {
            _guidByHandle.Remove(handle);
            _legsByUser.Remove(handle);
            await send(output => RccRequests.WriteUserEnd(output, handle), cancellationToken);
        }
    }

    public async ValueTask<string?> HandleAsync(PbxMessage message, CancellationToken cancellationToken)
    {
        switch (message.Type)
        {
            case PbxMessageType.UserInitializeResult:
                if (message.Src is not { } src || !src.StartsWith(SrcPrefix, StringComparison.Ordinal))
                {
                    return "UserInitializeResult without our src";
                }

                _inFlight = Math.Max(0, _inFlight - 1);
                var guid = src[SrcPrefix.Length..];
                if (message.UserHandle != 0 && _requested.Contains(guid))
                {
                    _guidByHandle[message.UserHandle] = guid;
                    _handleByGuid[guid] = message.UserHandle;
                }

                await PumpAsync(cancellationToken);
                return message.UserHandle == 0 ? "UserInitialize refused (no user handle)" : null;

            case PbxMessageType.CallInfo:
                return Apply(message);

            default:
                return null;
        }
    }

    private string? Apply(in PbxMessage message)
    {
        if (!_guidByHandle.TryGetValue(message.UserHandle, out var guid))
        {
            return "CallInfo for an unknown user handle";
        }

        if (!_legsByUser.TryGetValue(message.UserHandle, out var legsOfUser))
        {
            _legsByUser[message.UserHandle] = legsOfUser = [];
        }

        if (message.EndsLeg)
        {
            // The leg as last described goes with its end: its clearing cause says where a ring went (PBXAPIS.md §6.2).
            legsOfUser.Remove(message.Call, out var ended);
            var last = ended.Leg is { } endedLeg && message.CauseCode is { } cause && endedLeg.ClearingCause != cause ? endedLeg with { ClearingCause = cause } : ended.Leg;
            state.ApplyCall(new CallChange(guid, message.Call, Leg: null, last));
            return null;
        }

        var known = legsOfUser.TryGetValue(message.Call, out var previous);
        if (message.State is null && !known)
        {
            return "CallInfo without a state for a new call";
        }

        var bits = message.State is { } sent ? new CallStateBits(sent) : previous.State;
        var leg = legs.Leg(message.Call, bits, message.Peer, message.No, message.Time, known ? previous.Leg : null, message.CauseCode, message.ConfId);
        if (!known && legsOfUser.Count >= UserActivities.MaxCallsPerUser)
        {
            legsOfUser.Remove(legsOfUser.MinBy(l => l.Value.Leg.SinceUnixMs).Key);
        }

        legsOfUser[message.Call] = (bits, leg);
        return state.ApplyCall(new CallChange(guid, message.Call, leg, known ? previous.Leg : null)) ? null : "CallInfo for a user not on the board";
    }

    private async ValueTask PumpAsync(CancellationToken cancellationToken)
    {
        while (_inFlight < MaxInFlight && _waiting.TryDequeue(out var next))
        {
            if (!_requested.Contains(next.Guid))
            {
                continue; // deleted while waiting
            }

            _inFlight++;
            var src = SrcPrefix + next.Guid;
            await send(output => RccRequests.WriteUserInitialize(output, next.Cn, src), cancellationToken);
        }
    }
}
