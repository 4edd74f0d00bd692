using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace BlfBlazor.State;

/// <summary>
/// The users the PBX shows us, keyed by guid, and how current they are. One instance per app,
/// shared by every open board; written only by the PBX connection.
/// </summary>
/// <remarks>
/// Resync: every connection's initial list is the truth. <see cref="BeginResync"/> starts a new
/// generation; every record written afterwards (initial list or live update, in arrival order)
/// carries it; <see cref="CompleteResync"/> drops the records the new list did not mention.
/// Users seen before a reconnect stay on the board, marked stale, until then.
/// </remarks>
public sealed class UserDirectory
{
    private static readonly StringComparer s_nameOrder = StringComparer.InvariantCultureIgnoreCase;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _users = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Entry>.AlternateLookup<ReadOnlySpan<char>> _usersByGuidText;
    private readonly BoardOrder _order = new(CompareForBoard);
    private readonly List<DirectorySubscription> _subscribers = [];
    private readonly TimeProvider _timeProvider;
    private DirectorySubscription[] _subscriberArray = [];
    private ConnectionStatus _status;
    private bool _everLive;
    private int _generation;
    private long _version;
    private DirectorySnapshot? _snapshot;

    public UserDirectory(TimeProvider timeProvider, PbxDescription pbx)
    {
        _timeProvider = timeProvider;
        _usersByGuidText = _users.GetAlternateLookup<ReadOnlySpan<char>>();
        _status = new ConnectionStatus(ConnectionState.Connecting, timeProvider.GetUtcNow(), null, pbx.Name, pbx.IsDemo);
    }

    /// <summary>The current content, built at most once per change and shared by all readers.</summary>
    public DirectorySnapshot Current
    {
        get
        {
            lock (_lock)
            {
                if (_snapshot is null || _snapshot.Version != _version)
                {
                    var users = _order.Build(_users);
                    _snapshot = new DirectorySnapshot(_version, ImmutableCollectionsMarshal.AsImmutableArray(users), _status);
                }

                return _snapshot;
            }
        }
    }

    public ConnectionStatus Status
    {
        get
        {
            lock (_lock)
            {
                return _status;
            }
        }
    }

    /// <summary>
    /// The stored record of the user with this guid, or null. The PBX reader looks the guid up
    /// before it has made a string of it, to reuse the record's strings for an unchanged name.
    /// </summary>
    internal PbxUser? Find(ReadOnlySpan<char> guid)
    {
        lock (_lock)
        {
            return _usersByGuidText.TryGetValue(guid, out var entry) ? entry.User : null;
        }
    }

    /// <summary>How many boards (or other readers) are subscribed right now.</summary>
    public int SubscriberCount => Volatile.Read(ref _subscriberArray).Length;

    /// <summary>
    /// Subscribes to changes. The subscription starts signalled; dispose it to unsubscribe.
    /// </summary>
    public DirectorySubscription Subscribe()
    {
        var subscription = new DirectorySubscription(Unsubscribe);
        lock (_lock)
        {
            _subscribers.Add(subscription);
            _subscriberArray = [.. _subscribers];
        }

        return subscription;
    }

    /// <summary>A new connection logged in and asked for the initial list.</summary>
    public void BeginResync()
    {
        lock (_lock)
        {
            _generation++;
        }
    }

    /// <summary>Adds or replaces a user (initial list entry or upsert).</summary>
    /// <param name="isChange">True for a live change (<c>update</c> present), whose time is the lamp's start.</param>
    public void Upsert(PbxUser user, bool isChange = true)
    {
        lock (_lock)
        {
            var lamp = user.Lamp;
            var known = _users.TryGetValue(user.Guid, out var previous);
            user.LampSinceUnixMs = known && previous.User.Lamp == lamp
                ? previous.User.LampSinceUnixMs
                : isChange ? _timeProvider.GetUtcNow().ToUnixTimeMilliseconds() : 0;
            _users[user.Guid] = new Entry(user, _generation);
            _order.Upserted(known ? previous.User : null, user);
            _version++;
        }

        NotifySubscribers();
    }

    /// <summary>Removes a user (<c>update:"del"</c>). Unknown guids are a no-op.</summary>
    public void Remove(string guid)
    {
        lock (_lock)
        {
            if (!_users.Remove(guid))
            {
                return;
            }

            _order.Removed(guid);
            _version++;
        }

        NotifySubscribers();
    }

    /// <summary>
    /// The initial list is complete: drop users it did not mention and go live.
    /// </summary>
    public void CompleteResync()
    {
        lock (_lock)
        {
            List<string>? gone = null;
            foreach (var (guid, entry) in _users)
            {
                if (entry.Generation != _generation)
                {
                    (gone ??= []).Add(guid);
                }
            }

            if (gone is not null)
            {
                foreach (var guid in gone)
                {
                    _users.Remove(guid);
                    _order.Removed(guid);
                }

                _version++;
            }

            _everLive = true;
            SetStatusLocked(ConnectionState.Live, problem: null);
        }

        NotifySubscribers();
    }

    /// <summary>The connection is gone (or never came up); the board shows last-known lamps.</summary>
    public void ReportConnectionLost(string? problem)
    {
        lock (_lock)
        {
            // A refused login stays the headline until a login succeeds: a later network error
            // must not hide that the credentials are wrong.
            if (_status.State == ConnectionState.AuthFailed)
            {
                return;
            }

            SetStatusLocked(_everLive ? ConnectionState.Reconnecting : ConnectionState.Connecting, problem);
        }

        NotifySubscribers();
    }

    /// <summary>The PBX refused the login.</summary>
    public void ReportLoginRefused(string problem)
    {
        lock (_lock)
        {
            SetStatusLocked(ConnectionState.AuthFailed, problem);
        }

        NotifySubscribers();
    }

    /// <summary>The login succeeded; the initial list is on its way.</summary>
    public void ReportLoggedIn()
    {
        lock (_lock)
        {
            SetStatusLocked(_everLive ? ConnectionState.Reconnecting : ConnectionState.Connecting, problem: null);
        }

        NotifySubscribers();
    }

    private void SetStatusLocked(ConnectionState state, string? problem)
    {
        if (_status.State == state && _status.Problem == problem)
        {
            return;
        }

        var since = _status.State == state ? _status.Since : _timeProvider.GetUtcNow();
        _status = _status with { State = state, Since = since, Problem = problem };
        _version++;
    }

    private void NotifySubscribers()
    {
        foreach (var subscriber in Volatile.Read(ref _subscriberArray))
        {
            subscriber.Notify();
        }
    }

    private void Unsubscribe(DirectorySubscription subscription)
    {
        lock (_lock)
        {
            _subscribers.Remove(subscription);
            _subscriberArray = [.. _subscribers];
        }
    }

    private static int CompareForBoard(PbxUser a, PbxUser b)
    {
        var byName = s_nameOrder.Compare(a.DisplayName, b.DisplayName);
        if (byName != 0)
        {
            return byName;
        }

        var byNumber = string.CompareOrdinal(a.E164, b.E164);
        return byNumber != 0 ? byNumber : string.CompareOrdinal(a.Guid, b.Guid);
    }

    internal readonly record struct Entry(PbxUser User, int Generation);
}
