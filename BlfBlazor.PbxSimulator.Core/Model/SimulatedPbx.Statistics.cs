using System.Net.WebSockets;

namespace BlfBlazor.PbxSimulator.Core.Model;

/// <summary>
/// What the PBX's connections did, counted for tests that wait for "n connections open" instead of
/// sleeping: the sessions report their openings, logins, closes and presence subscriptions here.
/// </summary>
public sealed partial class SimulatedPbx
{
    private readonly WatchedCount _openConnections = new();
    private readonly WatchedCount _successfulLogins = new();
    private readonly WatchedCount _failedLogins = new();
    private readonly WatchedCount _clientCloses = new();
    private int _totalConnections;
    private int _presenceSubscriptions; // under _gate, like the subscriptions it counts

    // The status of the latest client close frame as an int; -1 while there was none.
    private int _lastClientCloseStatus = -1;

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

    /// <summary>Presence subscriptions open on all sessions.</summary>
    public int PresenceSubscriptions
    {
        get { lock (_gate) { return _presenceSubscriptions; } }
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

    internal void CountConnectionOpened()
    {
        Interlocked.Increment(ref _totalConnections);
        _openConnections.Add(1);
    }

    internal void CountConnectionClosed() => _openConnections.Add(-1);

    internal void CountLogin(bool succeeded) => (succeeded ? _successfulLogins : _failedLogins).Add(1);

    /// <summary>Counts a session that ended on the client's close frame; the status is readable before the count moves.</summary>
    internal void CountClientClose(WebSocketCloseStatus status)
    {
        Volatile.Write(ref _lastClientCloseStatus, (int)status);
        _clientCloses.Add(1);
    }

    /// <summary>Moves <see cref="PresenceSubscriptions"/> by <paramref name="delta"/>: a session opened or ended some.</summary>
    internal void CountPresenceSubscriptions(int delta)
    {
        lock (_gate)
        {
            _presenceSubscriptions += delta;
        }
    }
}
