using BlfBlazor.State;

namespace BlfBlazor.Store;

/// <summary>
/// Whether the store answers, for <c>/health/ready</c> and the board, and how far its writes got;
/// written only by <see cref="StoreService"/> and, on PostgreSQL, <see cref="StoreChangeListener"/>,
/// which notify subscribers of every change.
/// </summary>
public sealed class StoreStatus
{
    private readonly ChangeSubscribers _subscribers = new();
    private volatile bool _available;
    private volatile bool _unreachable;
    private long _saved;
    private volatile string? _listener;

    /// <summary>The store was migrated and the last write or read succeeded.</summary>
    public bool IsAvailable => _available;

    /// <summary>
    /// The last attempt to reach the store failed (unlike <see cref="IsAvailable"/>, false while the store was
    /// never tried yet at start): what the board tells its viewers, whose changes then wait in memory.
    /// </summary>
    public bool IsUnreachable => _unreachable;

    /// <summary>What <c>/health/ready</c> says: <c>ok</c> or <c>unavailable</c>.</summary>
    public string State => _available ? "ok" : "unavailable";

    /// <summary>Writes waiting in memory for the store.</summary>
    public int Pending => PendingCount?.Invoke() ?? 0;

    /// <summary>Writes saved since start.</summary>
    public long Saved => Interlocked.Read(ref _saved);

    internal Func<int>? PendingCount { get; set; }

    /// <summary>
    /// Whether this instance hears the changes other instances make (PostgreSQL only): <c>listening</c>,
    /// or <c>reconnecting</c> while its listening connection is down; null with SQLite.
    /// </summary>
    public string? Listener => _listener;

    /// <summary>Signalled when the store comes or goes, and after every saved batch.</summary>
    public DirectorySubscription Subscribe() => _subscribers.Subscribe();

    internal void Available(int saved)
    {
        _available = true;
        _unreachable = false;
        Interlocked.Add(ref _saved, saved);
        _subscribers.Notify();
    }

    internal void Listening(bool listening)
    {
        _listener = listening ? "listening" : "reconnecting";
        _subscribers.Notify();
    }

    internal void Unavailable()
    {
        _available = false;
        _unreachable = true;
        _subscribers.Notify();
    }
}
