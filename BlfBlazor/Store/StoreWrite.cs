namespace BlfBlazor.Store;

/// <summary>
/// One change for the store, made on whichever thread noticed it and applied later by
/// <see cref="StoreService"/>; applying it twice leaves the store as applying it once (a retry after
/// a failed save repeats the whole batch).
/// </summary>
internal abstract record StoreWrite
{
    /// <summary>Stages the change in <paramref name="store"/>; the service saves the batch.</summary>
    public abstract Task StageAsync(BlfStore store, CancellationToken cancellationToken);

    /// <summary>
    /// The <see cref="ISharedInStore.Part"/> this write changes, or null for what each instance derives
    /// itself (missed calls): once the batch is saved, the other instances on a shared store reload it.
    /// </summary>
    public virtual string? SharedPart => null;
}
