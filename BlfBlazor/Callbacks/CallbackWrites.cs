using BlfBlazor.State;
using BlfBlazor.Store;

namespace BlfBlazor.Callbacks;

/// <summary>Stores a callback as it is now (taken, or done): one row per callback, whatever the retries.</summary>
internal sealed record SaveCallback(Callback Callback) : StoreWrite
{
    public override string? SharedPart => CallbackBook.PartName;

    public override async Task StageAsync(BlfStore store, CancellationToken cancellationToken)
    {
        var row = await store.Callbacks.FindAsync([Callback.Id], cancellationToken);
        if (row is null)
        {
            row = new CallbackRow { Id = Callback.Id };
            store.Callbacks.Add(row);
        }

        // The book already left out what Blf:CallDetails hides: nothing here can write more than it kept.
        row.UserGuid = Callback.UserGuid;
        row.CallerName = Callback.Caller?.Name;
        row.CallerNumber = Callback.Caller?.Number;
        row.CallerInternal = Callback.Caller?.IsInternal ?? false;
        row.Note = Callback.Note;
        row.Urgency = Callback.UrgencyWord;
        row.AtUnixMs = Callback.AtUnixMs;
        row.TakenBy = Callback.TakenBy;
        row.DoneAtUnixMs = Callback.DoneAtUnixMs;
        row.DoneBy = Callback.DoneBy;
    }
}

/// <summary>Forgets a done callback that made room for a new one.</summary>
internal sealed record ForgetCallback(string Id) : StoreWrite
{
    public override string? SharedPart => CallbackBook.PartName;

    public override async Task StageAsync(BlfStore store, CancellationToken cancellationToken)
    {
        if (await store.Callbacks.FindAsync([Id], cancellationToken) is { } row)
        {
            store.Callbacks.Remove(row);
        }
    }
}
