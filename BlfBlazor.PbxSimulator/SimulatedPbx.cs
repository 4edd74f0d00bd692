using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.Options;

namespace BlfBlazor.PbxSimulator;

/// <summary>
/// The truth of the simulated PBX: its users and its open sessions. One lock covers both, so a
/// change and the frames announcing it are queued atomically: every session sees changes in the
/// order they happened, and an initial-list entry can never overtake a later update.
/// </summary>
public sealed partial class SimulatedPbx
{
    private readonly Lock _gate = new();
    private readonly OrderedDictionary<string, SimulatedUser> _users = new(StringComparer.Ordinal);
    private readonly HashSet<PbxSession> _sessions = [];
    private readonly WatchedCount _openConnections = new();
    private readonly WatchedCount _successfulLogins = new();
    private readonly WatchedCount _failedLogins = new();
    private readonly WatchedCount _clientCloses = new();
    private readonly ILogger<SimulatedPbx> _logger;
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

        Log.UsersGenerated(_logger, _users.Count, Options.Seed);
    }

    /// <summary>Snapshot of all users, in creation order.</summary>
    public IReadOnlyList<SimulatedUser> Users
    {
        get { lock (_gate) { return [.. _users.Values]; } }
    }

    public SimulatorFaults Faults { get; } = new();

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

    /// <summary>Frames clients sent while the PBX was stalled, all ignored (lets tests know a frame was read).</summary>
    internal WatchedCount FramesIgnoredWhileStalled { get; } = new();

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
            if (!_users.Remove(guid))
            {
                return false;
            }

            if (!Faults.Stall)
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

    /// <summary>Aborts every open session at once, like a cut network cable (no close handshake).</summary>
    public void DropConnections()
    {
        var sessions = SessionsSnapshot(loggedInOnly: false);
        Log.DroppingConnections(_logger, sessions.Count);
        foreach (var session in sessions)
        {
            session.Abort();
        }
    }

    /// <summary>
    /// Sends this exact text frame to every logged-in session; completes when each has sent it (or ended).
    /// While the PBX is stalled the frame is held, so the task completes only after the resume.
    /// </summary>
    public Task SendRawAsync(string text, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        return InjectAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, ct);
    }

    /// <summary>Sends a binary frame to every logged-in session; completes when each has sent it (or ended).</summary>
    public Task SendBinaryAsync(ReadOnlyMemory<byte> data, CancellationToken ct = default) =>
        InjectAsync(data.ToArray(), WebSocketMessageType.Binary, ct);

    /// <summary>
    /// Sends <paramref name="count"/> generated malformed frames (see <see cref="MalformedFrameKind"/>)
    /// to every logged-in session, deterministically for <paramref name="seed"/> and the users' current
    /// state; a session with an RCC subscription gets its src echoed where a UserInfo would carry it.
    /// The frames are generated and queued under the PBX lock, back to back and in order with the
    /// session's other frames: a change made before the call is sent before them, one made after the
    /// call after them, and none in between. Like <see cref="SendRawAsync"/> they are held, not dropped,
    /// while the PBX is stalled. Completes when every session has sent them all (or ended).
    /// </summary>
    /// <returns>How many frames of each kind every session was sent (every kind listed, 0 included).</returns>
    /// <remarks>Memory: a HugeString frame is up to 100 kB and an Oversized one 1.2 MiB, per distinct src; keep counts modest.</remarks>
    public Task<IReadOnlyDictionary<MalformedFrameKind, int>> SendMalformedFramesAsync(int count, int seed, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var plan = MalformedFrames.Plan(count, seed);
        var sent = QueueMalformedFrames(plan, seed);
        Log.SentMalformedFrames(_logger, count, seed, sent.Count);
        return WhenSentAsync(sent, MalformedFrames.CountKinds(plan).AsReadOnly(), ct);
    }

    internal void Attach(PbxSession session)
    {
        lock (_gate)
        {
            _sessions.Add(session);
        }

        Interlocked.Increment(ref _totalConnections);
        _openConnections.Add(1);
    }

    internal void Detach(PbxSession session)
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
    internal IReadOnlyList<string> Subscribe(PbxSession session, RccSubscription subscription)
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
    internal (int Next, bool Finished) QueueInitialBatch(PbxSession session, IReadOnlyList<string> guids, int position, int batchSize)
    {
        lock (_gate)
        {
            if (Faults.Stall || session.Subscription is not { } subscription)
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
            return (position, true);
        }
    }

    /// <summary>Applies a change to one user under the lock and announces it; false when the user is gone or <paramref name="change"/> returned null.</summary>
    internal bool TryChange(string guid, Func<SimulatedUser, SimulatedUser?> change, out SimulatedUser? changed)
    {
        lock (_gate)
        {
            changed = _users.TryGetValue(guid, out var user) ? change(user) : null;
            if (changed is null)
            {
                return false;
            }

            _users[guid] = changed;
            AnnounceLocked(changed);
            return true;
        }
    }

    private void AnnounceLocked(SimulatedUser user)
    {
        // Updates made during a stall are dropped, not held (see SimulatorFaults).
        if (Faults.Stall)
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

    private async Task InjectAsync(byte[] payload, WebSocketMessageType type, CancellationToken ct)
    {
        var sent = SessionsSnapshot(loggedInOnly: true).Select(session => session.QueueInjected(payload, type));
        await Task.WhenAll(sent).WaitAsync(ct);
    }

    private List<Task> QueueMalformedFrames(MalformedFrameKind[] plan, int seed)
    {
        var sent = new List<Task>();
        lock (_gate)
        {
            // The frames depend on the src; sessions sharing one share the frames.
            var users = _users.Values.ToList();
            var batches = new Dictionary<string, OutboundFrame[]>(StringComparer.Ordinal);
            foreach (var session in _sessions.Where(session => session.IsLoggedIn))
            {
                var src = session.Subscription?.Src;
                var key = src?.GetRawText() ?? "";
                if (!batches.TryGetValue(key, out var batch))
                {
                    batch = [.. MalformedFrames.Generate(plan, seed, users, src).Select(frame => new OutboundFrame(frame.Payload, frame.Type))];
                    batches.Add(key, batch);
                }

                sent.Add(session.QueueBatch(batch));
            }
        }

        return sent;
    }

    private static async Task<IReadOnlyDictionary<MalformedFrameKind, int>> WhenSentAsync(
        List<Task> sent, IReadOnlyDictionary<MalformedFrameKind, int> counts, CancellationToken ct)
    {
        await Task.WhenAll(sent).WaitAsync(ct);
        return counts;
    }

    private List<PbxSession> SessionsSnapshot(bool loggedInOnly)
    {
        lock (_gate)
        {
            return [.. _sessions.Where(session => !loggedInOnly || session.IsLoggedIn)];
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Simulated PBX has {Count} users (seed {Seed})")]
        public static partial void UsersGenerated(ILogger logger, int count, int? seed);

        [LoggerMessage(Level = LogLevel.Information, Message = "Dropping {Count} open connections")]
        public static partial void DroppingConnections(ILogger logger, int count);

        [LoggerMessage(Level = LogLevel.Information, Message = "Sending {Count} malformed frames (seed {Seed}) to {Sessions} logged-in sessions")]
        public static partial void SentMalformedFrames(ILogger logger, int count, int seed, int sessions);
    }
}
