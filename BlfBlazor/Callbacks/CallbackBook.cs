using BlfBlazor.MissedCalls;
using BlfBlazor.State;
using BlfBlazor.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BlfBlazor.Callbacks;

/// <summary>How taking or closing a callback ended.</summary>
public enum CallbackResult
{
    Done,

    /// <summary>No such callback (never taken, or pruned, or for another person).</summary>
    Unknown,

    /// <summary>The user has <see cref="CallbackBook.MaxPerUser"/> open callbacks, or the board <see cref="CallbackBook.MaxTotal"/>.</summary>
    Full,
}

/// <summary>
/// Every callback (a message taken for a colleague), in memory for the boards and queued for the store
/// like <see cref="MissedCallBook"/>: a click records here without waiting, <see cref="StoreService"/>
/// writes later. Shared between instances on one store (<see cref="ISharedInStore"/>): another
/// instance's change makes this one reload. Open callbacks stay until done; done ones are kept
/// <c>Blf:MissedCalls:Days</c>. Bounded per user and in all.
/// </summary>
internal sealed class CallbackBook(
    StoreWrites writes,
    IOptions<MissedCallOptions> options,
    IOptions<PrivacyOptions> privacy,
    UserDirectory directory,
    TimeProvider timeProvider) : ISharedInStore
{
    /// <summary>Callbacks kept per user, open and done; past it the oldest done one goes, and with none done a new one is refused.</summary>
    public const int MaxPerUser = 50;

    /// <summary>Callbacks kept in all.</summary>
    public const int MaxTotal = 20_000;

    public const string PartName = "callbacks";

    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<Callback>> _users = new(StringComparer.Ordinal);
    private int _total;

    public string Part => PartName;

    /// <summary>The user's open callbacks, newest first.</summary>
    public UserCallbacks Of(string guid)
    {
        lock (_lock)
        {
            return OpenOf(guid);
        }
    }

    /// <summary>The callback with this id, open or done; null when there is none.</summary>
    public Callback? Find(string id)
    {
        lock (_lock)
        {
            foreach (var list in _users.Values)
            {
                if (list.Find(callback => callback.Id == id) is { } found)
                {
                    return found;
                }
            }

            return null;
        }
    }

    /// <summary>
    /// Records a new callback. The caller's number is kept only with <c>Blf:CallDetails=Full</c>, in
    /// memory and in the store alike. Refused when the user's or the board's bound is reached.
    /// </summary>
    public CallbackResult Take(Callback callback)
    {
        callback = callback with { Caller = Private(callback.Caller) };
        string? dropped = null;
        lock (_lock)
        {
            if (!_users.TryGetValue(callback.UserGuid, out var list))
            {
                list = [];
            }

            if (list.Count >= MaxPerUser)
            {
                // Room from the oldest done one; a colleague with fifty open messages gets no fifty-first.
                if (list.Where(kept => kept.IsDone).MinBy(kept => kept.DoneAtUnixMs) is not { } oldest)
                {
                    return CallbackResult.Full;
                }

                list.Remove(oldest);
                _total--;
                dropped = oldest.Id;
            }
            else if (_total >= MaxTotal)
            {
                return CallbackResult.Full;
            }

            list.Add(callback);
            _users[callback.UserGuid] = list;
            _total++;
        }

        if (dropped is not null)
        {
            writes.Enqueue(new ForgetCallback(dropped));
        }

        writes.Enqueue(new SaveCallback(callback));
        Changed(callback.UserGuid);
        return CallbackResult.Done;
    }

    /// <summary>Marks a callback done by <paramref name="by"/> (a login claim value); one already done stays as it was.</summary>
    /// <param name="forUser">When set, only a callback of this user (a person closing their own).</param>
    public CallbackResult Done(string id, string by, string? forUser = null)
    {
        Callback done;
        lock (_lock)
        {
            var list = forUser is null ? _users.Values.FirstOrDefault(l => l.Exists(c => c.Id == id)) : _users.GetValueOrDefault(forUser);
            var index = list?.FindIndex(c => c.Id == id) ?? -1;
            if (list is null || index < 0)
            {
                return CallbackResult.Unknown;
            }

            if (list[index].IsDone)
            {
                return CallbackResult.Done;
            }

            done = list[index] with { DoneAtUnixMs = timeProvider.GetUtcNow().ToUnixTimeMilliseconds(), DoneBy = by };
            list[index] = done;
        }

        writes.Enqueue(new SaveCallback(done));
        Changed(done.UserGuid);
        return CallbackResult.Done;
    }

    public async Task RestoreAsync(BlfStore store, CancellationToken cancellationToken)
    {
        var kept = await ReadAsync(store, cancellationToken);
        List<string> guids;
        lock (_lock)
        {
            // What this run recorded itself (before the store answered) is newer than what the store kept.
            foreach (var callback in kept)
            {
                var list = _users.GetValueOrDefault(callback.UserGuid);
                if ((list?.Count ?? 0) < MaxPerUser && _total < MaxTotal && list?.Exists(c => c.Id == callback.Id) != true)
                {
                    _users[callback.UserGuid] = list ??= [];
                    list.Add(callback);
                    _total++;
                }
            }

            guids = [.. _users.Keys];
        }

        Republish(guids);
    }

    public async Task ReloadAsync(BlfStore store, CancellationToken cancellationToken)
    {
        var kept = await ReadAsync(store, cancellationToken);
        HashSet<string> guids;
        lock (_lock)
        {
            guids = [.. _users.Keys];
            _users.Clear();
            _total = 0;
            foreach (var callback in kept)
            {
                var list = _users.GetValueOrDefault(callback.UserGuid) ?? (_users[callback.UserGuid] = []);
                if (list.Count < MaxPerUser && _total < MaxTotal)
                {
                    list.Add(callback);
                    _total++;
                }
            }

            guids.UnionWith(_users.Keys);
        }

        Republish(guids);
    }

    public async Task PruneAsync(BlfStore store, CancellationToken cancellationToken)
    {
        var cutoff = (timeProvider.GetUtcNow() - options.Value.Retention).ToUnixTimeMilliseconds();
        await store.Callbacks.Where(row => row.DoneAtUnixMs != null && row.DoneAtUnixMs < cutoff).ExecuteDeleteAsync(cancellationToken);
        lock (_lock)
        {
            foreach (var (guid, list) in _users.ToList())
            {
                _total -= list.RemoveAll(callback => callback.DoneAtUnixMs < cutoff);
                if (list.Count == 0)
                {
                    _users.Remove(guid);
                }
            }
        }

        // Only done callbacks went: the open ones the tiles show are as they were.
    }

    /// <summary>The newest callbacks the store holds, within the bound, as today's <c>Blf:CallDetails</c> lets them be shown.</summary>
    private async Task<List<Callback>> ReadAsync(BlfStore store, CancellationToken cancellationToken)
    {
        var rows = await store.Callbacks.AsNoTracking().OrderByDescending(row => row.AtUnixMs).Take(MaxTotal).ToListAsync(cancellationToken);
        return [.. rows.Select(row => new Callback(
            row.Id,
            row.UserGuid,
            Private(row.CallerName is null && row.CallerNumber is null ? null : new CallPeer(row.CallerName, row.CallerNumber, row.CallerInternal)),
            row.Note,
            Callback.ParseUrgency(row.Urgency),
            row.AtUnixMs,
            row.TakenBy,
            row.DoneAtUnixMs,
            row.DoneBy))];
    }

    /// <summary>The caller as <c>Blf:CallDetails</c> lets the board keep them: a number only with <c>Full</c>.</summary>
    private CallPeer? Private(CallPeer? caller) =>
        caller is null || privacy.Value.CallDetails == CallDetails.Full ? caller
        : caller.Name is null ? null
        : caller with { Number = null };

    private UserCallbacks OpenOf(string guid) =>
        _users.TryGetValue(guid, out var list) && list.Exists(c => !c.IsDone)
            ? new UserCallbacks([.. list.Where(c => !c.IsDone).OrderByDescending(c => c.AtUnixMs)])
            : UserCallbacks.None;

    private void Republish(IEnumerable<string> guids)
    {
        foreach (var guid in guids)
        {
            Changed(guid);
        }
    }

    /// <summary>Tells the directory, which republishes the user's tile (outside the book's lock: the directory takes its own).</summary>
    private void Changed(string guid) => directory.SetCallbacks(guid, Of(guid));
}
