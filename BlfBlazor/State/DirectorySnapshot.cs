using System.Collections.Immutable;

namespace BlfBlazor.State;

/// <summary>
/// An immutable view of the directory at one version: users in board order plus the connection
/// status. Built at most once per version and shared by every open board.
/// </summary>
public sealed class DirectorySnapshot
{
    internal DirectorySnapshot(long version, ImmutableArray<PbxUser> users, ConnectionStatus status)
    {
        Version = version;
        Users = users;
        Status = status;
    }

    /// <summary>Grows with every change; equal versions mean equal content.</summary>
    public long Version { get; }

    /// <summary>Users ordered by display name, then extension, then guid (a stable order).</summary>
    public ImmutableArray<PbxUser> Users { get; }

    public ConnectionStatus Status { get; }

    /// <summary>The lamps are current only while live; otherwise they are last-known.</summary>
    public bool IsStale => Status.State != ConnectionState.Live;
}
