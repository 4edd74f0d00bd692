using System.Runtime.InteropServices;

namespace BlfBlazor.State;

/// <summary>
/// Builds the directory's snapshot at most once per version: every open board wakes on a change and
/// asks for the current content, and all of them must get the same immutable object, not a copy each.
/// </summary>
/// <remarks>Not thread-safe: the <see cref="UserDirectory"/> calls it under its lock.</remarks>
internal sealed class DirectorySnapshotBuilder
{
    private readonly BoardOrder _order = new(BoardOrder.CompareForBoard);
    private DirectorySnapshot? _snapshot;

    /// <summary>The board order, told about every change so that building it stays cheap.</summary>
    public BoardOrder Order => _order;

    public DirectorySnapshot Build(long version, Dictionary<string, UserEntry> users, ConnectionStatus status)
    {
        if (_snapshot is null || _snapshot.Version != version)
        {
            var ordered = _order.Build(users);
            _snapshot = new DirectorySnapshot(version, ImmutableCollectionsMarshal.AsImmutableArray(ordered), status);
        }

        return _snapshot;
    }
}
