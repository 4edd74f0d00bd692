using BlfBlazor.State;
using BlfBlazor.Store;

namespace BlfBlazor.MissedCalls;

/// <summary>Stores a missed call, or its better-known outcome: one row per user and call, whatever the retries.</summary>
internal sealed record SaveMissedCall(MissedCall Call) : StoreWrite
{
    public override async Task StageAsync(BlfStore store, CancellationToken cancellationToken)
    {
        var row = await store.MissedCalls.FindAsync([Call.UserGuid, Call.CallKey], cancellationToken);
        if (row is null)
        {
            row = new MissedCallRow { UserGuid = Call.UserGuid, CallKey = Call.CallKey, AtUnixMs = Call.AtUnixMs };
            store.MissedCalls.Add(row);
        }

        row.AtUnixMs = Math.Min(row.AtUnixMs, Call.AtUnixMs);
        row.RangMs = Call.RangMs;
        row.PeerName = Clip(Call.Peer?.Name);
        row.PeerNumber = Clip(Call.Peer?.Number);
        row.PeerInternal = Call.Peer?.IsInternal ?? false;
        row.Outcome = Call.OutcomeWord;
    }

    private static string? Clip(string? text) => text is { Length: > BlfStore.PeerLength } ? text[..BlfStore.PeerLength] : text;
}

/// <summary>Forgets a call counted as missed that turned out to be answered.</summary>
internal sealed record ForgetMissedCall(string UserGuid, string CallKey) : StoreWrite
{
    public override async Task StageAsync(BlfStore store, CancellationToken cancellationToken)
    {
        if (await store.MissedCalls.FindAsync([UserGuid, CallKey], cancellationToken) is { } row)
        {
            store.MissedCalls.Remove(row);
        }
    }
}

/// <summary>Moves a user's last call forward (never back: a retry of an older write changes nothing).</summary>
internal sealed record SaveLastCall(string UserGuid, long AtUnixMs) : StoreWrite
{
    public override async Task StageAsync(BlfStore store, CancellationToken cancellationToken)
    {
        var row = await store.LastCalls.FindAsync([UserGuid], cancellationToken);
        if (row is null)
        {
            store.LastCalls.Add(new LastCallRow { UserGuid = UserGuid, AtUnixMs = AtUnixMs });
        }
        else
        {
            row.AtUnixMs = Math.Max(row.AtUnixMs, AtUnixMs);
        }
    }
}
