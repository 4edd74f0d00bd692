namespace BlfBlazor.Store;

/// <summary>Whether the store answers, for <c>/health/ready</c> and the board; written only by <see cref="StoreService"/>.</summary>
public sealed class StoreStatus
{
    private volatile bool _available;

    /// <summary>The store was migrated and the last write or read succeeded.</summary>
    public bool IsAvailable => _available;

    /// <summary>What <c>/health/ready</c> says: <c>ok</c> or <c>unavailable</c>.</summary>
    public string State => _available ? "ok" : "unavailable";

    /// <summary>Writes waiting in memory for the store.</summary>
    public int Pending => PendingCount?.Invoke() ?? 0;

    internal Func<int>? PendingCount { get; set; }

    internal void Available() => _available = true;

    internal void Unavailable() => _available = false;
}
