using BlfBlazor.State;

namespace BlfBlazor.Pbx.Rcc;

/// <summary>
/// <c>Pbx:CallFeed=WholePbx</c>: <c>calls:true</c> on the RCC <c>Initialize</c>, so the PBX reports every
/// leg (<c>CallAdd</c>, <c>CallUpdate</c>, <c>CallDel</c> or <c>CallDelete</c>). Legs are joined to tiles by
/// <c>guid</c>; legs of objects not on the board (trunks, other PBX objects) are ignored, and an
/// internal peer is named by pairing the two users' legs on <c>conf-id</c>.
/// </summary>
internal sealed class WholePbxCallFeed(IPbxStateWriter state, CallLegs legs, RccUserList users) : IUserMonitor
{
    private readonly Dictionary<uint, BoardLeg> _legs = [];
    private readonly HashSet<string> _listed = new(StringComparer.Ordinal);

    public int Monitored => _listed.Count;

    public string? Problem => null;

    public ValueTask UserListedAsync(PbxUserInfo user, CancellationToken cancellationToken)
    {
        _listed.Add(user.Guid);
        if (user is { Channel: 0, Alert: 0 })
        {
            // The lamp bounds what this connection remembers: no channel, nothing ringing, no legs.
            Forget(user.Guid);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask UserDeletedAsync(string guid, CancellationToken cancellationToken)
    {
        _listed.Remove(guid);
        Forget(guid);
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Drops the user's legs. Runs for every UserInfo of an idle user, so the usual case (no legs at
    /// all, or none of this user's) costs a loop over the few calls in progress and no allocation.
    /// </summary>
    private void Forget(string guid)
    {
        foreach (var (call, leg) in _legs)
        {
            if (leg.Guid == guid)
            {
                _legs.Remove(call); // allowed while enumerating a Dictionary since .NET Core 3.0
            }
        }
    }

    public ValueTask<string?> HandleAsync(PbxMessage message, CancellationToken cancellationToken) =>
        ValueTask.FromResult(message.Type switch
        {
            PbxMessageType.CallAdd => Add(message),
            PbxMessageType.CallUpdate => Update(message),
            PbxMessageType.CallDel => Delete(message),
            _ => null,
        });

    private string? Add(in PbxMessage frame)
    {
        if (frame.Guid is null || users.Find(frame.Guid) is null)
        {
            return null; // a trunk or an object not on the board: not a tile's business
        }

        var leg = new BoardLeg(frame.Guid, frame.ConfId, new CallStateBits(frame.State ?? 0), Remote: null);
        _legs[frame.Call] = leg;
        Publish(frame.Call, leg, previous: null);
        PublishPartner(frame.Call, leg);
        return null;
    }

    private string? Update(in PbxMessage frame)
    {
        if (!_legs.TryGetValue(frame.Call, out var leg))
        {
            return null; // a leg we ignore, or one that began before this connection
        }

        var updated = leg with { State = leg.State.After(frame.Msg), Remote = frame.Remote ?? leg.Remote };
        _legs[frame.Call] = updated;
        Publish(frame.Call, updated, leg.Shown);
        return null;
    }

    private string? Delete(in PbxMessage frame)
    {
        if (_legs.Remove(frame.Call, out var leg))
        {
            state.ApplyCall(new CallChange(leg.Guid, frame.Call, Leg: null, leg.Shown));
        }

        return null;
    }

    /// <summary>The other board user's leg of the same call, if both are on the board.</summary>
    private (uint Call, BoardLeg Leg)? Partner(uint call, BoardLeg leg)
    {
        if (leg.ConfId is null)
        {
            return null;
        }

        foreach (var (other, candidate) in _legs)
        {
            if (other != call && candidate.ConfId == leg.ConfId && candidate.Guid != leg.Guid)
            {
                return (other, candidate);
            }
        }

        return null;
    }

    private void PublishPartner(uint call, BoardLeg leg)
    {
        if (Partner(call, leg) is { } partner)
        {
            Publish(partner.Call, partner.Leg, partner.Leg.Shown);
        }
    }

    private void Publish(uint call, BoardLeg leg, CallLeg? previous)
    {
        // An internal peer by the partner's name; else the remote number (normalised by the PBX).
        var peer = Partner(call, leg) is { } partner && users.Find(partner.Leg.Guid) is { } user
            ? new Connector(null, user.Cn ?? user.DisplayName, user.DisplayName, user.H323, user.E164)
            : leg.Remote;
        var shown = legs.Leg(call, leg.State, peer, no: null, time: null, previous, conf: leg.ConfId);
        _legs[call] = leg with { Shown = shown };
        state.ApplyCall(new CallChange(leg.Guid, call, shown, previous));
    }

    private sealed record BoardLeg(string Guid, string? ConfId, CallStateBits State, Connector? Remote)
    {
        public CallLeg? Shown { get; init; }
    }
}
