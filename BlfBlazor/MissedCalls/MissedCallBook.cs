using BlfBlazor.State;
using BlfBlazor.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BlfBlazor.MissedCalls;

/// <summary>
/// Every user's missed calls within the retention, in memory for the boards and queued for the store:
/// the PBX loop records here without waiting, <see cref="StoreService"/> writes later and restores
/// this after a restart. Bounded per user and in users.
/// </summary>
internal sealed class MissedCallBook(
    StoreWrites writes,
    IOptions<MissedCallOptions> options,
    IOptions<PrivacyOptions> privacy,
    UserDirectory directory,
    TimeProvider timeProvider) : IMissedCallSink, IKeptInStore
{
    /// <summary>Missed calls kept per user; a tile's list shows the newest.</summary>
    public const int MaxPerUser = 50;

    /// <summary>Users with missed calls kept; a PBX has a few thousand at most.</summary>
    public const int MaxUsers = 20_000;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, UserCalls> _users = new(StringComparer.Ordinal);

    // Numbers every list handed out (UserMissedCalls.Version): where the PBX loop and the store's service
    // race to the directory, the later list wins.
    private long _version;

    // The user whose call leg the PBX loop is applying: their new missed calls ride on that leg's record
    // (one new record, not two). Only the PBX loop rides, and only the detector's reports (on that loop) wait.
    private string? _riding;
    private UserMissedCalls? _ridden;

    public UserMissedCalls Of(string guid)
    {
        var cutoff = Cutoff();
        lock (_lock)
        {
            return Shown(_users.GetValueOrDefault(guid), cutoff);
        }
    }

    /// <summary>
    /// Until <see cref="TakeRide"/>, changes to this user's missed calls wait for the leg being applied,
    /// whose record carries them. Called by the PBX loop only (<see cref="MissedCallWatch"/>).
    /// </summary>
    public void Ride(string guid)
    {
        _riding = guid;
        _ridden = null;
    }

    /// <summary>The riding user's missed calls if the detector changed them meanwhile; null otherwise.</summary>
    public UserMissedCalls? TakeRide()
    {
        var ridden = _ridden;
        _riding = null;
        _ridden = null;
        return ridden;
    }

    public void Missed(MissedCall call)
    {
        UserMissedCalls shown;
        lock (_lock)
        {
            shown = Shown(Keep(call), Cutoff());
        }

        writes.Enqueue(new SaveMissedCall(call));
        Publish(call.UserGuid, shown);
    }

    public void NotMissed(string userGuid, string callKey)
    {
        UserMissedCalls shown;
        lock (_lock)
        {
            var user = _users.GetValueOrDefault(userGuid);
            user?.Calls.RemoveAll(kept => kept.Call.CallKey == callKey);
            shown = Shown(user, Cutoff());
        }

        writes.Enqueue(new ForgetMissedCall(userGuid, callKey));
        Publish(userGuid, shown);
    }

    public void Talked(string userGuid)
    {
        UserMissedCalls shown;
        long atUnixMs;
        lock (_lock)
        {
            // Only next to kept missed calls does the user's last call change anything (which of them count
            // as unanswered): every other answered call costs a look in a table of the few users with some.
            if (!_users.TryGetValue(userGuid, out var user) || user.Calls.Count == 0)
            {
                return;
            }

            atUnixMs = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
            if (atUnixMs <= user.LastCallUnixMs)
            {
                return;
            }

            // With every kept call before the last call already, the tile stays as it is (no count), and the
            // store's last call still counts each kept call as seen: the new time stays here until it matters.
            var seenAlready = user.Calls[0].AtUnixMs <= user.LastCallUnixMs;
            user.LastCallUnixMs = atUnixMs;
            if (seenAlready)
            {
                return;
            }

            user.StoredLastCallUnixMs = atUnixMs;
            shown = Shown(user, Cutoff(atUnixMs));
        }

        writes.Enqueue(new SaveLastCall(userGuid, atUnixMs));
        Publish(userGuid, shown);
    }

    /// <summary>Every user with missed calls: what the directory shows, once the kept ones are back or the old ones gone.</summary>
    public void Republish()
    {
        var cutoff = Cutoff();
        List<(string Guid, UserMissedCalls Shown)> shown;
        lock (_lock)
        {
            shown = [.. _users.Where(user => user.Value.Calls.Count > 0).Select(user => (user.Key, Shown(user.Value, cutoff)))];
        }

        foreach (var (guid, missed) in shown)
        {
            directory.SetMissedCalls(guid, missed);
        }
    }

    public async Task RestoreAsync(BlfStore store, CancellationToken cancellationToken)
    {
        var cutoff = Cutoff();
        var rows = await store.MissedCalls.AsNoTracking().Where(row => row.AtUnixMs >= cutoff).ToListAsync(cancellationToken);
        var lastCalls = await store.LastCalls.AsNoTracking().ToListAsync(cancellationToken);
        var full = privacy.Value.CallDetails == CallDetails.Full;
        lock (_lock)
        {
            foreach (var row in rows)
            {
                // Kept under an earlier, more open Blf:CallDetails: shown only as the setting allows now.
                var peer = row.PeerName is null && row.PeerNumber is null && !row.PeerInternal ? null
                    : privacy.Value.CallDetails == CallDetails.Off ? null
                    : new CallPeer(row.PeerName, full ? row.PeerNumber : null, row.PeerInternal);

                // What this run saw itself is newer than what the store kept.
                if (User(row.UserGuid) is { } user && !user.Calls.Exists(kept => kept.Call.CallKey == row.CallKey))
                {
                    _ = Keep(new MissedCall(row.UserGuid, row.CallKey, row.AtUnixMs, row.RangMs, peer, MissedCall.ParseOutcome(row.Outcome)));
                }
            }

            foreach (var row in lastCalls)
            {
                if (_users.TryGetValue(row.UserGuid, out var user))
                {
                    user.LastCallUnixMs = Math.Max(user.LastCallUnixMs, row.AtUnixMs);
                    user.StoredLastCallUnixMs = Math.Max(user.StoredLastCallUnixMs, row.AtUnixMs);
                }
            }
        }

        Republish();
    }

    public async Task PruneAsync(BlfStore store, CancellationToken cancellationToken)
    {
        var cutoff = Cutoff();
        await store.MissedCalls.Where(row => row.AtUnixMs < cutoff).ExecuteDeleteAsync(cancellationToken);
        await store.LastCalls.Where(row => row.AtUnixMs < cutoff).ExecuteDeleteAsync(cancellationToken);
        List<(string Guid, UserMissedCalls Shown)> emptied = [];
        lock (_lock)
        {
            foreach (var (guid, user) in _users.ToList())
            {
                user.Calls.RemoveAll(kept => kept.AtUnixMs < cutoff);
                if (user.Calls.Count == 0)
                {
                    _users.Remove(guid);
                    emptied.Add((guid, Shown(null, cutoff)));
                }
            }
        }

        foreach (var (guid, none) in emptied)
        {
            directory.SetMissedCalls(guid, none);
        }

        Republish();
    }

    /// <summary>
    /// Tells the directory, which republishes the user's tile (outside the book's lock: the directory takes
    /// its own), unless the change rides on the leg the PBX loop is applying for that user.
    /// </summary>
    private void Publish(string guid, UserMissedCalls shown)
    {
        if (_riding is { } riding && riding == guid)
        {
            _ridden = shown;
            return;
        }

        directory.SetMissedCalls(guid, shown);
    }

    /// <summary>What the user's tile shows now, numbered (under the lock) so that a later list wins.</summary>
    private UserMissedCalls Shown(UserCalls? user, long cutoff)
    {
        var version = ++_version;
        return user?.Shown(cutoff, version) ?? new UserMissedCalls(0, []) { Version = version };
    }

    private long Cutoff() => Cutoff(timeProvider.GetUtcNow().ToUnixTimeMilliseconds());

    /// <summary>The oldest time within the retention, seen from <paramref name="nowUnixMs"/> (a time the caller has read already).</summary>
    private long Cutoff(long nowUnixMs) => nowUnixMs - (long)options.Value.Retention.TotalMilliseconds;

    /// <summary>
    /// Adds or replaces the call (same user and key), newest first, dropping the oldest past the bound; null past
    /// <see cref="MaxUsers"/>. Every call enters here, so here the store's last call is kept right.
    /// </summary>
    private UserCalls? Keep(MissedCall call)
    {
        if (User(call.UserGuid) is not { } user)
        {
            return null;
        }

        var hash = call.CallKey.GetHashCode(StringComparison.Ordinal);
        for (var i = 0; i < user.Calls.Count; i++)
        {
            if (user.Calls[i].KeyHash == hash && user.Calls[i].Call.CallKey == call.CallKey)
            {
                user.Calls.RemoveAt(i);
                break;
            }
        }

        // Calls arrive about in time order: the place is found from the newest end.
        var at = 0;
        while (at < user.Calls.Count && user.Calls[at].AtUnixMs >= call.AtUnixMs)
        {
            at++;
        }

        user.Calls.Insert(at, new KeptCall(hash, call.AtUnixMs, call));
        if (user.Calls.Count > MaxPerUser)
        {
            user.Calls.RemoveAt(user.Calls.Count - 1);
        }

        // A call that rang before the last call the store does not know yet (a missed call's ring that began before
        // an answered one, or a restored call older than a call this run saw): the store learns it, or a restart
        // would count the call unanswered.
        if (call.AtUnixMs <= user.LastCallUnixMs && call.AtUnixMs > user.StoredLastCallUnixMs)
        {
            user.StoredLastCallUnixMs = user.LastCallUnixMs;
            writes.Enqueue(new SaveLastCall(call.UserGuid, user.LastCallUnixMs));
        }

        return user;
    }

    private UserCalls? User(string guid)
    {
        if (!_users.TryGetValue(guid, out var user))
        {
            if (_users.Count >= MaxUsers)
            {
                return null;
            }

            _users[guid] = user = new UserCalls();
        }

        return user;
    }

    /// <summary>
    /// A kept call with its key's hash and its time beside it: finding a call again and its place reads
    /// no other object (a missed call is recorded on the PBX loop, and most users' calls are not in the cache).
    /// </summary>
    private readonly record struct KeptCall(int KeyHash, long AtUnixMs, MissedCall Call);

    private sealed class UserCalls
    {
        /// <summary>Newest first.</summary>
        public List<KeptCall> Calls { get; } = [];

        public long LastCallUnixMs { get; set; }

        /// <summary>
        /// The last call as the store has it (or will, once its queue is written). Kept so that every kept call
        /// is before it or after <see cref="LastCallUnixMs"/>: what a restart counts is then what the tile counts.
        /// </summary>
        public long StoredLastCallUnixMs { get; set; }

        // The list handed out last (never changed once handed out), handed out again while it is still the newest
        // calls: the first call after a missed one clears the count and leaves the list, so its tile costs a
        // record and not a copy of ten calls.
        private MissedCall[] _listed = [];

        /// <summary>
        /// What the tile shows: how many of the calls within the retention came after the last call, and
        /// the newest of them (<see cref="UserMissedCalls.MaxListed"/>); null when none is within it.
        /// </summary>
        public UserMissedCalls? Shown(long cutoff, long version)
        {
            var kept = 0;
            var unanswered = 0;

            // Newest first: past the listed ones, only calls after the last call still count.
            while (kept < Calls.Count && Calls[kept].AtUnixMs >= cutoff && (kept < UserMissedCalls.MaxListed || Calls[kept].AtUnixMs > LastCallUnixMs))
            {
                unanswered += Calls[kept].AtUnixMs > LastCallUnixMs ? 1 : 0;
                kept++;
            }

            if (kept == 0)
            {
                return null;
            }

            var count = Math.Min(kept, UserMissedCalls.MaxListed);
            if (!StillListed(count))
            {
                _listed = new MissedCall[count];
                for (var i = 0; i < count; i++)
                {
                    _listed[i] = Calls[i].Call;
                }
            }

            return new UserMissedCalls(unanswered, _listed) { Version = version };
        }

        /// <summary>Whether the list handed out last still holds the newest <paramref name="count"/> calls.</summary>
        private bool StillListed(int count)
        {
            if (_listed.Length != count)
            {
                return false;
            }

            for (var i = 0; i < count; i++)
            {
                if (!ReferenceEquals(_listed[i], Calls[i].Call))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
