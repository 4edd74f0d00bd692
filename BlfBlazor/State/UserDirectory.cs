namespace BlfBlazor.State;

/// <summary>
/// The users the PBX shows us, keyed by guid, and how current they are. One instance per app,
/// shared by every open board: boards read <see cref="Current"/> and <see cref="Subscribe"/>; only the
/// PBX connection writes, through <see cref="IPbxStateWriter"/>.
/// </summary>
/// <remarks>
/// Resync: every connection's initial list is the truth. <see cref="IPbxStateWriter.BeginResync"/>
/// starts a new generation; every record written afterwards (initial list or live update, in arrival
/// order) carries it; <see cref="IPbxStateWriter.CompleteResync"/> drops the records the new list did
/// not mention. Users seen before a reconnect stay on the board, marked stale, until then.
/// </remarks>
public sealed class UserDirectory : IPbxStateWriter
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, UserEntry> _users = new(StringComparer.Ordinal);
    private readonly UserActivities _activities;
    private readonly DirectorySnapshotBuilder _snapshots = new();
    private readonly ChangeSubscribers _subscribers = new();
    private readonly ConnectionTracker _connection;
    private readonly TimeProvider _timeProvider;
    private int _generation;
    private long _version;
    private MonitoringStatus _monitoring = MonitoringStatus.None;

    public UserDirectory(TimeProvider timeProvider, PbxDescription pbx)
    {
        _timeProvider = timeProvider;
        _connection = new ConnectionTracker(timeProvider, pbx);
        _activities = new UserActivities(timeProvider);
    }

    /// <summary>The current content, built at most once per change and shared by all readers.</summary>
    public DirectorySnapshot Current
    {
        get
        {
            lock (_lock)
            {
                return _snapshots.Build(_version, _users, _connection.Status);
            }
        }
    }

    public ConnectionStatus Status
    {
        get
        {
            lock (_lock)
            {
                return _connection.Status;
            }
        }
    }

    /// <summary>What the connection monitors beside the lamps; not part of a board's snapshot.</summary>
    public MonitoringStatus Monitoring => Volatile.Read(ref _monitoring);

    /// <summary>How many boards (or other readers) are subscribed right now.</summary>
    public int SubscriberCount => _subscribers.Count;

    /// <summary>
    /// Subscribes to changes. The subscription starts signalled; dispose it to unsubscribe.
    /// </summary>
    public DirectorySubscription Subscribe() => _subscribers.Subscribe();

    void IPbxStateWriter.BeginResync()
    {
        lock (_lock)
        {
            _generation++;
            Changed(_connection.LoggedIn());
        }

        _subscribers.Notify();
    }

    void IPbxStateWriter.NextLoginTo(string? standby)
    {
        lock (_lock)
        {
            _connection.NextLoginTo(standby);
        }
    }

    void IPbxStateWriter.Apply(in UserChange change)
    {
        lock (_lock)
        {
            if (change.User is not { } user)
            {
                if (!_users.Remove(change.Guid))
                {
                    return;
                }

                _activities.Forget(change.Guid);
                _snapshots.Order.Removed(change.Guid);
            }
            else
            {
                var known = _users.TryGetValue(user.Guid, out var previous);
                user.LampSinceUnixMs = LampSince(known ? previous.User : null, user, change.IsLive);

                // The lamp is the one state the PBX guarantees complete: calls it says cannot exist go.
                user.Activity = _activities.OnLamp(user, _generation);
                _users[user.Guid] = new UserEntry(user, _generation);
                _snapshots.Order.Upserted(known ? previous.User : null, user);
            }

            _version++;
        }

        _subscribers.Notify();
    }

    void IPbxStateWriter.CompleteResync()
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

            foreach (var guid in gone ?? [])
            {
                _users.Remove(guid);
                _activities.Forget(guid);
                _snapshots.Order.Removed(guid);
            }

            Changed(gone is not null);

            // Nothing an earlier connection said about calls or presence survives its list.
            foreach (var guid in _activities.DropOlderThan(_generation))
            {
                Changed(Republish(guid));
            }

            Changed(_connection.Live());
        }

        _subscribers.Notify();
    }

    bool IPbxStateWriter.ApplyCall(in CallChange change)
    {
        lock (_lock)
        {
            if (!_users.ContainsKey(change.Guid))
            {
                return false;
            }

            _activities.SetCall(change.Guid, change.Handle, change.Leg, _generation);
            Changed(Republish(change.Guid));
        }

        _subscribers.Notify();
        return true;
    }

    bool IPbxStateWriter.ApplyPresence(string guid, UserPresence? presence)
    {
        lock (_lock)
        {
            if (!_users.ContainsKey(guid))
            {
                return false;
            }

            _activities.SetPresence(guid, presence, _generation);
            Changed(Republish(guid));
        }

        _subscribers.Notify();
        return true;
    }

    void IPbxStateWriter.ReportMonitoring(MonitoringStatus monitoring)
    {
        // Not in the snapshot (boards do not show it), but readers waiting for it are woken like for any change.
        Volatile.Write(ref _monitoring, monitoring);
        _subscribers.Notify();
    }

    void IPbxStateWriter.ConnectionLost(string? problem) => SetConnection(c => c.Lost(problem));

    void IPbxStateWriter.LoginRefused(string problem) => SetConnection(c => c.LoginRefused(problem));

    /// <summary>
    /// When the user's lamp took its state, in Unix ms; 0 when unknown. An unchanged lamp keeps its
    /// start (also across a reconnect's list); a live change starts now; a list entry with a new lamp
    /// may have changed long ago, so its start is unknown.
    /// </summary>
    private long LampSince(PbxUser? previous, PbxUser user, bool isLive) =>
        previous is not null && previous.Lamp == user.Lamp ? previous.LampSinceUnixMs
        : isLive ? _timeProvider.GetUtcNow().ToUnixTimeMilliseconds()
        : 0;

    /// <summary>
    /// Publishes a copy of the user's record with their current calls and presence, so that every
    /// reader that keys on the record (tile HTML, a board's diff) sees the change. False when unchanged.
    /// </summary>
    private bool Republish(string guid)
    {
        if (!_users.TryGetValue(guid, out var entry))
        {
            return false;
        }

        var activity = _activities.Current(guid);
        if (ReferenceEquals(activity, entry.User.Activity))
        {
            return false;
        }

        var published = entry.User with { };
        published.Activity = activity;
        _users[guid] = entry with { User = published };
        _snapshots.Order.Upserted(entry.User, published);
        return true;
    }

    private void SetConnection(Func<ConnectionTracker, bool> change)
    {
        lock (_lock)
        {
            if (!change(_connection))
            {
                return;
            }

            _version++;
        }

        _subscribers.Notify();
    }

    private void Changed(bool changed)
    {
        if (changed)
        {
            _version++;
        }
    }
}
