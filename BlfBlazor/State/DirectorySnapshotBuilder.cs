using System.Runtime.InteropServices;

namespace BlfBlazor.State;

/// <summary>
/// Builds the directory's snapshots away from the writer: the writer only notes which users changed
/// (<see cref="PendingChanges"/>), and a reader that finds the snapshot out of date takes those notes
/// over and orders them here, so sorting never holds up the PBX connection's loop.
/// </summary>
/// <remarks>Not thread-safe: the <see cref="UserDirectory"/> calls it under its build lock, one reader at a time.</remarks>
internal sealed class DirectorySnapshotBuilder
{
    private readonly BoardOrder _order = new(BoardOrder.CompareForBoard);

    // The users as last built: the builder's own copy, so the writer's dictionary is never read outside its lock.
    private readonly Dictionary<string, PbxUser> _users = new(StringComparer.Ordinal);

    /// <summary>Starts over from every user the writer holds (the first build, or after the notes overflowed).</summary>
    public void ResetTo(IEnumerable<PbxUser> users)
    {
        _users.Clear();
        foreach (var user in users)
        {
            _users[user.Guid] = user;
        }

        _order.SortAll();
    }

    /// <summary>Takes the writer's notes in order: a user's record, or null when the user is gone.</summary>
    public void Apply(List<(string Guid, PbxUser? User)> changes)
    {
        foreach (var (guid, user) in changes)
        {
            if (user is null)
            {
                if (_users.Remove(guid))
                {
                    _order.Removed(guid);
                }
            }
            else
            {
                // One lookup for both the previous record and the new one's place: this runs per change.
                ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_users, guid, out _);
                var previous = slot;
                slot = user;
                _order.Upserted(previous, user);
            }
        }
    }

    public DirectorySnapshot Build(long version, ConnectionStatus status, long changedTimestamp) =>
        new(version, ImmutableCollectionsMarshal.AsImmutableArray(_order.Build(_users)), status, changedTimestamp);
}

/// <summary>
/// What changed since the last snapshot, as the writer notes it under its lock: each change's record in
/// order (null: removed), an append and nothing more. Bounded: when nobody reads for a long time the
/// notes give way to "everything", so a stream of changes cannot grow memory.
/// </summary>
internal sealed class PendingChanges
{
    private List<(string Guid, PbxUser? User)> _changes = [];
    private List<(string Guid, PbxUser? User)> _spare = [];

    /// <summary>True when the notes were given up (or never started): the builder must take every user.</summary>
    public bool All { get; private set; } = true;

    public void Changed(string guid, PbxUser? user, int userCount)
    {
        if (All)
        {
            return;
        }

        _changes.Add((guid, user));
        if (_changes.Count > (2 * userCount) + 1024)
        {
            _changes.Clear();
            All = true;
        }
    }

    /// <summary>Hands the notes over and starts new ones; the caller clears what it took before the next take.</summary>
    public List<(string Guid, PbxUser? User)> Take()
    {
        var taken = _changes;
        _changes = _spare;
        _spare = taken;
        All = false;
        return taken;
    }
}
