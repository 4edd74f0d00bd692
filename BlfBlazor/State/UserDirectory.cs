using System.Runtime.InteropServices;

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
    // The writer's lock: held by the PBX connection's loop for each change, and by a reader only for
    // as long as it takes to hand over the changes; building a snapshot happens under _buildLock.
    private readonly Lock _lock = new();
    private readonly Lock _buildLock = new();
    private readonly Dictionary<string, UserEntry> _users = new(StringComparer.Ordinal);

    // The user table's rows (forwarding, object type), apart from RCC's list: either may come first.
    private readonly Dictionary<string, (UserTableRow Row, int Generation)> _table = new(StringComparer.Ordinal);
    private readonly ShownObjects _shown;

    // Missed calls by user, apart from RCC's list: restored from the store before the PBX lists anyone.
    private readonly Dictionary<string, UserMissedCalls> _missed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, UserCallbacks> _callbacks = new(StringComparer.Ordinal);
    private int _tableGeneration;
    private readonly UserActivities _activities;
    private readonly PendingChanges _pending = new();
    private readonly DirectorySnapshotBuilder _snapshots = new();
    private DirectorySnapshot? _published;
    private long _changedAt;
    private readonly ChangeSubscribers _subscribers = new();
    private readonly ConnectionTracker _connection;
    private readonly TimeProvider _timeProvider;
    private int _generation;
    private long _version;
    private MonitoringStatus _monitoring = MonitoringStatus.None;

    public UserDirectory(TimeProvider timeProvider, PbxDescription pbx, ShownObjects? shown = null, QueueOptions? queues = null)
    {
        _timeProvider = timeProvider;
        Queues = new WaitingQueues(timeProvider, queues?.AlertSeconds ?? QueueOptions.DefaultAlertSeconds);
        _shown = shown ?? ShownObjects.Default;
        _connection = new ConnectionTracker(timeProvider, pbx);
        _activities = new UserActivities(timeProvider);
    }

    /// <summary>The current content, built at most once per change and shared by all readers.</summary>
    public DirectorySnapshot Current
    {
        get
        {
            var published = Volatile.Read(ref _published);
            if (published is not null && published.Version == Volatile.Read(ref _version))
            {
                return published;
            }

            lock (_buildLock)
            {
                long version, changedAt;
                ConnectionStatus status;
                List<(string Guid, PbxUser? User)> changes;
                lock (_lock)
                {
                    if (_published is { } current && current.Version == _version)
                    {
                        return current;
                    }

                    version = _version;
                    changedAt = _changedAt;
                    status = _connection.Status;
                    if (_pending.All)
                    {
                        // The first build, or nobody read for very long: copying every record is O(n), and rare.
                        _snapshots.ResetTo(_users.Values.Where(entry => !entry.Hidden).Select(entry => entry.User));
                    }

                    changes = _pending.Take();
                }

                _snapshots.Apply(changes);
                changes.Clear();
                var snapshot = _snapshots.Build(version, status, changedAt);
                Volatile.Write(ref _published, snapshot);
                return snapshot;
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

    /// <summary>The waiting queues: their own snapshots and subscribers, so a lamp change costs a queue card nothing.</summary>
    public WaitingQueues Queues { get; }

    IQueueStateWriter IPbxStateWriter.Queues => Queues;

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

        ((IQueueStateWriter)Queues).BeginGeneration();
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
                _pending.Changed(change.Guid, null, _users.Count);
            }
            else
            {
                var known = _users.TryGetValue(user.Guid, out var previous);
                var since = LampSince(known ? previous.User : null, user, change.IsLive);

                // The lamp is the one state the PBX guarantees complete: calls it says cannot exist go.
                var record = PbxUser.Of(user, since, _activities.OnLamp(user, _generation)) with { Forwarding = ForwardingOf(user.Guid), Groups = GroupsOf(user.Guid), Missed = MissedOf(user.Guid), Callbacks = _callbacks.GetValueOrDefault(user.Guid, UserCallbacks.None) };
                Publish(new UserEntry(record, _generation, IsHidden(user.Guid, user.Pseudo)));
            }

            Changed(true);
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
                _pending.Changed(guid, null, _users.Count);
            }

            Changed(gone is not null);

            // Destinations named before their user was listed show by name now.
            foreach (var (guid, _) in _table)
            {
                Changed(RepublishTable(guid));
            }

            // Nothing an earlier connection said about calls or presence survives its list.
            foreach (var guid in _activities.DropOlderThan(_generation))
            {
                Changed(Republish(guid));
            }

            Changed(_connection.Live());
        }

        ((IQueueStateWriter)Queues).DropUnlisted();
        _subscribers.Notify();
    }

    bool IPbxStateWriter.ApplyCall(in CallChange change) => ApplyCall(change, missed: null);

    /// <summary>
    /// A call leg changed, and with it perhaps the user's missed calls (a ring that ended unanswered, a call
    /// that clears the count): one new record for both. False for a user the board does not list, whose
    /// missed calls are kept for when it does.
    /// </summary>
    internal bool ApplyCall(in CallChange change, UserMissedCalls? missed)
    {
        bool changed;
        lock (_lock)
        {
            var newMissed = missed is not null && KeepMissed(change.Guid, missed);
            if (!_users.ContainsKey(change.Guid))
            {
                return false;
            }

            _activities.SetCall(change.Guid, change.Handle, change.Leg, _generation);
            changed = Republish(change.Guid, newMissed ? missed : null);
            Changed(changed);
        }

        // Only news wakes the boards: a leg that changed nothing they show (a waiting queue's, whose card
        // follows WaitingQueues) costs them nothing.
        if (changed)
        {
            _subscribers.Notify();
        }

        return true;
    }

    bool IPbxStateWriter.ApplyPresence(string guid, UserPresence? presence)
    {
        bool changed;
        lock (_lock)
        {
            if (!_users.ContainsKey(guid))
            {
                return false;
            }

            _activities.SetPresence(guid, presence, _generation);
            changed = Republish(guid);
            Changed(changed);
        }

        if (changed)
        {
            _subscribers.Notify();
        }

        return true;
    }

    void IPbxStateWriter.BeginTableResync()
    {
        lock (_lock)
        {
            _tableGeneration++;
        }
    }

    void IPbxStateWriter.ApplyTableRow(UserTableRow row) => ChangeTable(() =>
    {
        _table[row.Guid] = (row, _tableGeneration);
        return RepublishTable(row.Guid);
    });

    void IPbxStateWriter.RemoveTableRow(string guid) => ChangeTable(() => _table.Remove(guid) && RepublishTable(guid));

    void IPbxStateWriter.CompleteTableResync() => ChangeTable(() =>
    {
        var gone = _table.Where(row => row.Value.Generation != _tableGeneration).Select(row => row.Key).ToList();
        var changed = false;
        foreach (var guid in gone)
        {
            _table.Remove(guid);
            changed |= RepublishTable(guid);
        }

        return changed;
    });

    void IPbxStateWriter.ForgetTable() => ChangeTable(() =>
    {
        var rows = _table.Keys.ToList();
        _table.Clear();
        var changed = false;
        foreach (var guid in rows)
        {
            changed |= RepublishTable(guid);
        }

        return changed;
    });

    void IPbxStateWriter.ReportMonitoring(MonitoringStatus monitoring)
    {
        // Not in the snapshot (boards do not show it), but readers waiting for it are woken like for any change.
        Volatile.Write(ref _monitoring, monitoring);
        _subscribers.Notify();
    }

    /// <summary>
    /// A user's missed calls changed (recorded, upgraded, restored or pruned); kept for a user the PBX
    /// has not listed yet. Called by the missed-call book from the PBX loop or the store's service.
    /// </summary>
    internal void SetMissedCalls(string guid, UserMissedCalls missed)
    {
        lock (_lock)
        {
            if (!KeepMissed(guid, missed) || !_users.TryGetValue(guid, out var entry) || (missed.Calls.Count == 0 && entry.User.Missed.Calls.Count == 0))
            {
                return;
            }

            Publish(entry with { User = entry.User with { Missed = missed } });
            Changed(true);
        }

        _subscribers.Notify();
    }

    /// <summary>
    /// A user's open callbacks changed (taken, done, reloaded or pruned); kept for a user the PBX has not
    /// listed yet. Called by the callback book from a board's action or the store's service.
    /// </summary>
    internal void SetCallbacks(string guid, UserCallbacks callbacks)
    {
        lock (_lock)
        {
            var empty = callbacks.Open.Count == 0;
            if (empty)
            {
                _callbacks.Remove(guid);
            }
            else
            {
                _callbacks[guid] = callbacks;
            }

            if (!_users.TryGetValue(guid, out var entry) || (empty && entry.User.Callbacks.Open.Count == 0))
            {
                return;
            }

            Publish(entry with { User = entry.User with { Callbacks = callbacks } });
            Changed(true);
        }

        _subscribers.Notify();
    }

    /// <summary>
    /// Remembers the user's missed calls (for a user not listed yet, too) unless a later list of the book's
    /// is already here: the PBX loop and the store's service may race to this lock. A listed user's empty
    /// list is kept as well, so that a late, older one cannot bring back what it cleared.
    /// </summary>
    private bool KeepMissed(string guid, UserMissedCalls missed)
    {
        // One look-up: this runs on the PBX loop for every missed call.
        ref var kept = ref CollectionsMarshal.GetValueRefOrAddDefault(_missed, guid, out var known);
        if (known && kept!.Version > missed.Version)
        {
            return false;
        }

        if (missed.Calls.Count == 0 && !_users.ContainsKey(guid))
        {
            _missed.Remove(guid); // no tile to keep right: nothing kept for users who come and go
        }
        else
        {
            kept = missed;
        }

        return true;
    }

    /// <summary>Whether the user's table row has a no-answer diversion; false when the table is not known.</summary>
    internal bool ForwardsOnNoAnswer(string guid)
    {
        lock (_lock)
        {
            return _table.TryGetValue(guid, out var row) && row.Row.Diversions.Any(d => d.Kind == DiversionKind.NoAnswer);
        }
    }

    void IPbxStateWriter.ConnectionLost(string? problem) => SetConnection(c => c.Lost(problem));

    void IPbxStateWriter.LoginRefused(string problem) => SetConnection(c => c.LoginRefused(problem));

    /// <summary>
    /// When the user's lamp took its state, in Unix ms; 0 when unknown. An unchanged lamp keeps its
    /// start (also across a reconnect's list); a live change starts now; a list entry with a new lamp
    /// may have changed long ago, so its start is unknown.
    /// </summary>
    private long LampSince(PbxUser? previous, in PbxUserInfo user, bool isLive) =>
        previous is not null && previous.Lamp == user.Lamp ? previous.LampSinceUnixMs
        : isLive ? _timeProvider.GetUtcNow().ToUnixTimeMilliseconds()
        : 0;

    /// <summary>
    /// Publishes a copy of the user's record with their current calls and presence, so that every
    /// reader that keys on the record (tile HTML, a board's diff) sees the change. False when unchanged.
    /// </summary>
    /// <param name="missed">The user's missed calls, when they changed with the activity.</param>
    private bool Republish(string guid, UserMissedCalls? missed = null)
    {
        if (!_users.TryGetValue(guid, out var entry))
        {
            return false;
        }

        var activity = _activities.Current(guid);
        if (ReferenceEquals(activity, entry.User.Activity) && missed is null)
        {
            return false;
        }

        var updated = entry with { User = entry.User with { Activity = activity, Missed = missed ?? entry.User.Missed } };
        if (entry.Hidden)
        {
            // An object without a tile (a waiting queue, whose legs change with every caller): kept, but
            // nothing for the boards, so a queue's callers cost the tile lists no new version.
            _users[guid] = updated;
            return false;
        }

        Publish(updated);
        return true;
    }

    private void ChangeTable(Func<bool> change)
    {
        lock (_lock)
        {
            if (!change())
            {
                return;
            }

            Changed(true);
        }

        _subscribers.Notify();
    }

    /// <summary>
    /// Publishes the user's record again after their table row changed: its forwarding, and whether it
    /// is shown at all (the row may say it is a queue). False when nothing a board sees changed.
    /// </summary>
    private bool RepublishTable(string guid)
    {
        if (!_users.TryGetValue(guid, out var entry))
        {
            return false;
        }

        var forwarding = ForwardingOf(guid);
        var groups = GroupsOf(guid);
        var hidden = IsHidden(guid, rccPseudo: null);
        if (hidden == entry.Hidden && forwarding.SequenceEqual(entry.User.Forwarding) && groups.SequenceEqual(entry.User.Groups, StringComparer.Ordinal))
        {
            return false;
        }

        Publish(entry with { User = entry.User with { Forwarding = forwarding, Groups = groups }, Hidden = hidden });
        return true;
    }

    /// <summary>Stores the entry and notes it for the boards: a hidden object is, to them, a user that left.</summary>
    private void Publish(UserEntry entry)
    {
        _users[entry.User.Guid] = entry;
        _pending.Changed(entry.User.Guid, entry.Hidden ? null : entry.User, _users.Count);
    }

    /// <summary>
    /// Whether the object is no person the board shows. RCC's word wins where it gives one; else the
    /// table's (a hidden user keeps its RCC word in its record's absence, so a row alone cannot show it).
    /// </summary>
    private bool IsHidden(string guid, string? rccPseudo)
    {
        var pseudo = !string.IsNullOrEmpty(rccPseudo) ? rccPseudo
            : _users.TryGetValue(guid, out var entry) && !string.IsNullOrEmpty(entry.User.Pseudo) ? entry.User.Pseudo
            : _table.TryGetValue(guid, out var row) ? row.Row.Pseudo
            : string.Empty;
        return !_shown.IsShown(pseudo);
    }

    private UserMissedCalls MissedOf(string guid) => _missed.GetValueOrDefault(guid, UserMissedCalls.None);

    private IReadOnlyList<string> GroupsOf(string guid) => _table.TryGetValue(guid, out var row) ? row.Row.Groups : [];

    /// <summary>The user's diversions from the table, always before busy before no answer, destinations named as the board knows them.</summary>
    private IReadOnlyList<Diversion> ForwardingOf(string guid)
    {
        if (!_table.TryGetValue(guid, out var row) || row.Row.Diversions.Count == 0)
        {
            return [];
        }

        return [.. row.Row.Diversions.OrderBy(d => d.Kind).Select(d =>
            d.TargetGuid is { } target && _users.TryGetValue(target, out var to) && !to.Hidden ? d with { Shown = to.User.DisplayName } : d)];
    }

    private void SetConnection(Func<ConnectionTracker, bool> change)
    {
        lock (_lock)
        {
            if (!change(_connection))
            {
                return;
            }

            Changed(true);
        }

        _subscribers.Notify();
    }

    /// <summary>A new version, stamped with when the news arrived (boards measure their update time from it).</summary>
    private void Changed(bool changed)
    {
        if (changed)
        {
            // When the news arrived, for the boards' update-time metric: read a clock only if a board
            // is open to be measured (a clock read costs a lamp change several percent of its time).
            _changedAt = _subscribers.Count > 0 ? _timeProvider.GetTimestamp() : 0;

            // Under the writer's lock; readers take it without (Volatile): a 64-bit write is atomic here.
            Volatile.Write(ref _version, _version + 1);
        }
    }
}
