namespace BlfBlazor.Store;

/// <summary>Something the board keeps in memory and in the store: read back once the store is reachable, and pruned.</summary>
internal interface IKeptInStore
{
    /// <summary>Reads what the store kept (after a restart, or once a store that was away at start is back).</summary>
    Task RestoreAsync(BlfStore store, CancellationToken cancellationToken);

    /// <summary>Deletes what is past its retention.</summary>
    Task PruneAsync(BlfStore store, CancellationToken cancellationToken);
}
