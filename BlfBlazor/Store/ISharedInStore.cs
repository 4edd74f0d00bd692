namespace BlfBlazor.Store;

/// <summary>
/// Something people change on the board (callbacks, favourites, saved views) and that every instance
/// on one shared store must show the same: when another instance saved a change to <see cref="Part"/>,
/// this instance reloads it. Unlike <see cref="IKeptInStore.RestoreAsync"/>, which merges what the
/// store kept into what this run saw, a reload replaces, so deletions made elsewhere arrive too.
/// </summary>
internal interface ISharedInStore : IKeptInStore
{
    /// <summary>A short fixed name (<c>callbacks</c>, <c>favourites</c>); the notification between instances names it.</summary>
    string Part { get; }

    /// <summary>Replaces what is in memory with what the store holds now, and tells the boards what changed.</summary>
    Task ReloadAsync(BlfStore store, CancellationToken cancellationToken);
}
