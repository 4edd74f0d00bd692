using BlfBlazor.State;

namespace BlfBlazor.Pbx;

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
    private readonly Dictionary<uint, Dictionary<uint, (int State, CallLeg Leg)>> _legsByUser = [];
    private int _inFlight;

    public int Monitored => _handleByGuid.Count;

    public string? Problem { get; private set; }

    public async ValueTask UserListedAsync(PbxUser user, CancellationToken cancellationToken)
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
            await send(output => PbxRequests.WriteUserEnd(output, handle), cancellationToken);
        }
    }

    public async ValueTask<string?> HandleAsync(MonitorFrame frame, CancellationToken cancellationToken)
    {
        switch (frame.Type)
        {
            case PbxMessageType.UserInitializeResult:
                if (frame.Src is not { } src || !src.StartsWith(SrcPrefix, StringComparison.Ordinal))
                {
                    return "UserInitializeResult without our src";
                }

                _inFlight = Math.Max(0, _inFlight - 1);
                var guid = src[SrcPrefix.Length..];
                if (frame.User != 0 && _requested.Contains(guid))
                {
                    _guidByHandle[frame.User] = guid;
                    _handleByGuid[guid] = frame.User;
                }

                await PumpAsync(cancellationToken);
                return frame.User == 0 ? "UserInitialize refused (no user handle)" : null;

            case PbxMessageType.CallInfo:
                return Apply(frame);

            default:
                return null;
        }
    }

    private string? Apply(MonitorFrame frame)
    {
        if (!_guidByHandle.TryGetValue(frame.User, out var guid))
        {
            return "CallInfo for an unknown user handle";
        }

        if (!_legsByUser.TryGetValue(frame.User, out var legsOfUser))
        {
            _legsByUser[frame.User] = legsOfUser = [];
        }

        if (CallLegs.Ends(frame))
        {
            legsOfUser.Remove(frame.Call);
            state.ApplyCall(new CallChange(guid, frame.Call, Leg: null));
            return null;
        }

        var known = legsOfUser.TryGetValue(frame.Call, out var previous);
        if (frame.State is null && !known)
        {
            return "CallInfo without a state for a new call";
        }

        var bits = frame.State ?? previous.State;
        var leg = legs.Leg(frame.Call, bits, frame.Peer, frame.No, frame.Time, known ? previous.Leg : null);
        if (!known && legsOfUser.Count >= UserActivities.MaxCallsPerUser)
        {
            legsOfUser.Remove(legsOfUser.MinBy(l => l.Value.Leg.SinceUnixMs).Key);
        }

        legsOfUser[frame.Call] = (bits, leg);
        return state.ApplyCall(new CallChange(guid, frame.Call, leg)) ? null : "CallInfo for a user not on the board";
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
            await send(output => PbxRequests.WriteUserInitialize(output, next.Cn, src), cancellationToken);
        }
    }
}
