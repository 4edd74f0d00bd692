using System.Net.WebSockets;
using System.Text.Json;
using BlfBlazor.PbxSimulator.Core.Hosting;
using BlfBlazor.PbxSimulator.Core.Protocol;
using BlfBlazor.PbxSimulator.Core.Scenario;
using Microsoft.Extensions.Options;

namespace BlfBlazor.PbxSimulator.Core.Model;

/// <summary>
/// The truth of the simulated PBX: its users and its open sessions. One lock covers both, so a
/// change and the frames announcing it are queued atomically: every session sees changes in the
/// order they happened, and an initial-list entry can never overtake a later update.
/// </summary>
public sealed partial class SimulatedPbx
{
    private readonly Lock _gate = new();
    private readonly OrderedDictionary<string, SimulatedUser> _users = new(StringComparer.Ordinal);
    private readonly HashSet<AppWebsocketSession> _sessions = [];
    private readonly WatchedCount _openConnections = new();
    private readonly WatchedCount _successfulLogins = new();
    private readonly WatchedCount _failedLogins = new();
    private readonly WatchedCount _clientCloses = new();
    private readonly ILogger<SimulatedPbx> _logger;
    private IPbxFaults _faults = IPbxFaults.None;
    private ProtocolVariants _variants;

    // Conference and call ids, and shuffled presence orders: from the seed, so a seeded run repeats.
    private readonly Random _ids;
    private int _totalConnections;

    // The status of the latest client close frame as an int; -1 while there was none.
    private int _lastClientCloseStatus = -1;

    /// <summary>Generates <see cref="SimulatorOptions.Users"/> users (deterministically when a seed is set).</summary>
    public SimulatedPbx(IOptions<SimulatorOptions> options, TimeProvider timeProvider, ILogger<SimulatedPbx> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        Options = options.Value;
        TimeProvider = timeProvider;
        _logger = logger;

        var random = Options.Seed is { } seed ? new Random(seed) : new Random();
        foreach (var user in UserGenerator.Create(Options.Users, random))
        {
            _users.Add(user.Guid, user);
        }

        _variants = Options.Variants;
        _ids = Options.Seed is { } idSeed ? new Random(unchecked(idSeed * 7 + 3)) : new Random();
        Log.UsersGenerated(_logger, _users.Count, Options.Seed);
    }

    /// <summary>
    /// The simulator's answers to the protocol's unknowns (CALLS.md §6), from <see cref="SimulatorOptions.Variants"/>;
    /// tests swap them at run time. A frame is built from one set, never half of a change.
    /// </summary>
    /// <exception cref="ArgumentException">The set has a value that is not defined.</exception>
    public ProtocolVariants Variants
    {
        get => Volatile.Read(ref _variants);
        set
        {
            var failures = new List<string>();
            SimulatorOptionsValidation.ValidateVariants(value, failures);
            if (failures.Count > 0)
            {
                throw new ArgumentException(string.Join(" ", failures), nameof(value));
            }

            Volatile.Write(ref _variants, value);
        }
    }

    /// <summary>Snapshot of all users, in creation order.</summary>
    public IReadOnlyList<SimulatedUser> Users
    {
        get { lock (_gate) { return [.. _users.Values]; } }
    }

    /// <summary>WebSocket sessions currently open.</summary>
    public int OpenConnections => _openConnections.Value;

    /// <summary>WebSocket sessions accepted since start.</summary>
    public int TotalConnections => Volatile.Read(ref _totalConnections);

    /// <summary>AppLogins answered with ok:true.</summary>
    public int SuccessfulLogins => _successfulLogins.Value;

    /// <summary>AppLogins refused, in whatever shape (including a login fault that closes the socket).</summary>
    public int FailedLogins => _failedLogins.Value;

    /// <summary>
    /// Sessions that ended because the client sent a WebSocket close frame (any status) before the
    /// PBX started a close of its own; counted when the session ends, before <see cref="OpenConnections"/>
    /// goes down. Not counted: the client's answer to a PBX close, cut connections, dropped sessions.
    /// </summary>
    public int ClientCloses => _clientCloses.Value;

    /// <summary>Status of the most recent close frame counted in <see cref="ClientCloses"/>; null while there was none.</summary>
    public WebSocketCloseStatus? LastClientCloseStatus =>
        Volatile.Read(ref _lastClientCloseStatus) is var status and >= 0 ? (WebSocketCloseStatus)status : null;

    internal SimulatorOptions Options { get; }

    internal TimeProvider TimeProvider { get; }

    internal ILogger Logger => _logger;

    /// <summary>How this PBX misbehaves: not at all, unless faults were installed (see <see cref="InstallFaults"/>).</summary>
    internal IPbxFaults InjectedFaults => Volatile.Read(ref _faults);

    public SimulatedUser? Find(string guid)
    {
        ArgumentNullException.ThrowIfNull(guid);
        lock (_gate)
        {
            return _users.GetValueOrDefault(guid);
        }
    }

    /// <summary>Adds the user, or replaces the one with the same guid (keeping its place); announces it as update "upd".</summary>
    public void Upsert(SimulatedUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentException.ThrowIfNullOrEmpty(user.Guid, nameof(user));
        lock (_gate)
        {
            _users[user.Guid] = user;
            AnnounceLocked(user);
        }
    }

    /// <summary>Deletes the user; announces it as update "del". False when there was no such user.</summary>
    public bool Remove(string guid)
    {
        ArgumentNullException.ThrowIfNull(guid);
        lock (_gate)
        {
            // A deleted user's calls end with them.
            foreach (var leg in _legsByUser.GetValueOrDefault(guid)?.ToList() ?? [])
            {
                if (_legs.ContainsKey(leg.Handle))
                {
                    HangUpLocked(leg);
                }
            }

            if (!_users.Remove(guid))
            {
                return false;
            }

            _presence.Remove(guid);

            if (!InjectedFaults.IsStalled)
            {
                foreach (var session in _sessions)
                {
                    if (session.Subscription is { } subscription)
                    {
                        session.Post(PbxMessages.UserRemoved(guid, subscription.Src));
                    }
                }
            }

            return true;
        }
    }

    /// <summary>Replaces the lamp-relevant state of a user, announces it and returns the new record.</summary>
    /// <exception cref="KeyNotFoundException">There is no user with this guid.</exception>
    public SimulatedUser SetLamp(string guid, bool registered, int channel, int alert)
    {
        ArgumentNullException.ThrowIfNull(guid);
        ArgumentOutOfRangeException.ThrowIfNegative(channel);
        ArgumentOutOfRangeException.ThrowIfNegative(alert);
        lock (_gate)
        {
            if (!_users.TryGetValue(guid, out var user))
            {
                throw new KeyNotFoundException($"No simulated user with guid '{guid}'.");
            }

            var changed = user with { Registered = registered, Channel = channel, Alert = alert };
            _users[guid] = changed;
            AnnounceLocked(changed);
            return changed;
        }
    }

    /// <summary>Completes when <paramref name="predicate"/>(OpenConnections) holds: checked now, then on every change.</summary>
    public Task WhenOpenConnectionsAsync(Func<int, bool> predicate, CancellationToken ct) =>
        _openConnections.WhenAsync(predicate, ct);

    /// <summary>Completes when <paramref name="predicate"/>(SuccessfulLogins) holds: checked now, then on every change.</summary>
    public Task WhenSuccessfulLoginsAsync(Func<int, bool> predicate, CancellationToken ct) =>
        _successfulLogins.WhenAsync(predicate, ct);

    /// <summary>Completes when <paramref name="predicate"/>(FailedLogins) holds: checked now, then on every change.</summary>
    public Task WhenFailedLoginsAsync(Func<int, bool> predicate, CancellationToken ct) =>
        _failedLogins.WhenAsync(predicate, ct);

    /// <summary>Completes when <paramref name="predicate"/>(ClientCloses) holds: checked now, then on every change.</summary>
    public Task WhenClientClosesAsync(Func<int, bool> predicate, CancellationToken ct) =>
        _clientCloses.WhenAsync(predicate, ct);

    internal void Attach(AppWebsocketSession session)
    {
        lock (_gate)
        {
            _sessions.Add(session);
        }

        Interlocked.Increment(ref _totalConnections);
        _openConnections.Add(1);
    }

    internal void Detach(AppWebsocketSession session)
    {
        bool removed;
        lock (_gate)
        {
            removed = _sessions.Remove(session);
        }

        if (removed)
        {
            _openConnections.Add(-1);
        }
    }

    internal void CountLogin(bool succeeded) => (succeeded ? _successfulLogins : _failedLogins).Add(1);

    /// <summary>Counts a session that ended on the client's close frame; the status is readable before the count moves.</summary>
    internal void CountClientClose(WebSocketCloseStatus status)
    {
        Volatile.Write(ref _lastClientCloseStatus, (int)status);
        _clientCloses.Add(1);
    }

    /// <summary>
    /// Starts live updates for the session and returns the users its initial list will walk through:
    /// one step under the lock, so no change falls between the list and the updates.
    /// </summary>
    internal IReadOnlyList<string> Subscribe(AppWebsocketSession session, RccSubscription subscription)
    {
        lock (_gate)
        {
            session.Subscription = subscription;
            return [.. _users.Keys];
        }
    }

    /// <summary>
    /// Queues the next batch of the initial list with each user's current state (skipping users
    /// deleted meanwhile), and InitializeResult after the last one. Does nothing while stalled.
    /// </summary>
    internal (int Next, bool Finished) QueueInitialBatch(AppWebsocketSession session, IReadOnlyList<string> guids, int position, int batchSize)
    {
        lock (_gate)
        {
            if (InjectedFaults.IsStalled || session.Subscription is not { } subscription)
            {
                return (position, false);
            }

            var end = Math.Min(position + batchSize, guids.Count);
            for (; position < end; position++)
            {
                if (_users.TryGetValue(guids[position], out var user))
                {
                    session.Queue(new OutboundFrame(PbxMessages.UserInfo(user, null, subscription.Src), WebSocketMessageType.Text));
                }
            }

            if (position < guids.Count)
            {
                return (position, false);
            }

            session.Queue(new OutboundFrame(PbxMessages.InitializeResult(subscription.Src), WebSocketMessageType.Text));
            StartCallFeedLocked(session, subscription);
            return (position, true);
        }
    }

    /// <summary>
    /// Applies a change to one user under the lock and announces it; false when the user is gone, is in
    /// a call (its lamp follows its legs) or <paramref name="change"/> returned null.
    /// </summary>
    internal bool TryChange(string guid, Func<SimulatedUser, SimulatedUser?> change, out SimulatedUser? changed)
    {
        lock (_gate)
        {
            changed = _users.TryGetValue(guid, out var user) && !_legsByUser.ContainsKey(guid) ? change(user) : null;
            if (changed is null)
            {
                return false;
            }

            _users[guid] = changed;
            AnnounceLocked(changed);
            return true;
        }
    }

    /// <summary>
    /// Makes this PBX consult <paramref name="faults"/> from now on, unless other faults were installed
    /// first; returns the ones in force. Installed once and for good, so no session sees two.
    /// </summary>
    internal IPbxFaults InstallFaults(IPbxFaults faults)
    {
        ArgumentNullException.ThrowIfNull(faults);
        var before = Interlocked.CompareExchange(ref _faults, faults, IPbxFaults.None);
        return ReferenceEquals(before, IPbxFaults.None) ? faults : before;
    }

    /// <summary>The open sessions (or only the logged-in ones) at this moment.</summary>
    internal List<AppWebsocketSession> SessionsSnapshot(bool loggedInOnly)
    {
        lock (_gate)
        {
            return [.. _sessions.Where(session => !loggedInOnly || session.IsLoggedIn)];
        }
    }

    /// <summary>
    /// Queues frames to every logged-in session under the PBX lock, back to back and in order with the
    /// session's other frames: a change made before the call is sent before them, one made after it
    /// after them. <paramref name="framesFor"/> builds them from the users' current state and a session's
    /// RCC src, once per distinct src. Returns per session a task that completes once it sent them (or ended).
    /// </summary>
    internal List<Task> QueueToLoggedInSessions(Func<IReadOnlyList<SimulatedUser>, JsonElement?, IReadOnlyList<OutboundFrame>> framesFor)
    {
        ArgumentNullException.ThrowIfNull(framesFor);
        var sent = new List<Task>();
        lock (_gate)
        {
            var users = _users.Values.ToList();
            var batches = new Dictionary<string, IReadOnlyList<OutboundFrame>>(StringComparer.Ordinal);
            foreach (var session in _sessions.Where(session => session.IsLoggedIn))
            {
                var src = session.Subscription?.Src;
                var key = src?.GetRawText() ?? "";
                if (!batches.TryGetValue(key, out var batch))
                {
                    batch = framesFor(users, src);
                    batches.Add(key, batch);
                }

                sent.Add(session.QueueBatch(batch));
            }
        }

        return sent;
    }

    private void AnnounceLocked(SimulatedUser user)
    {
        // Updates made during a stall are dropped, not held.
        if (InjectedFaults.IsStalled)
        {
            return;
        }

        foreach (var session in _sessions)
        {
            if (session.Subscription is { } subscription)
            {
                session.Post(PbxMessages.UserInfo(user, "upd", subscription.Src));
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Simulated PBX has {Count} users (seed {Seed})")]
        public static partial void UsersGenerated(ILogger logger, int count, int? seed);
    }
}
