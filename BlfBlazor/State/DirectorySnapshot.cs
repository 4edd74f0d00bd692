using System.Collections.Immutable;

namespace BlfBlazor.State;

/// <summary>
/// An immutable view of the directory at one version: users in board order plus the connection
/// status. Built at most once per version and shared by every open board.
/// </summary>
public sealed class DirectorySnapshot
{
    internal DirectorySnapshot(long version, ImmutableArray<PbxUser> users, ConnectionStatus status, long changedTimestamp = 0)
    {
        Version = version;
        Users = users;
        Status = status;
        ChangedTimestamp = changedTimestamp;
    }

    /// <summary>Grows with every change; equal versions mean equal content.</summary>
    public long Version { get; }

    /// <summary>Users ordered by display name, then extension, then guid (a stable order).</summary>
    public ImmutableArray<PbxUser> Users { get; }

    public ConnectionStatus Status { get; }

    /// <summary>
    /// When the PBX's news behind this version was applied (a timestamp of the app's
    /// <see cref="TimeProvider"/>); 0 when none, or when no board was open to measure it. Boards measure
    /// their update time from it.
    /// </summary>
    public long ChangedTimestamp { get; }

    /// <summary>The user whose PBX object name (<c>cn</c>) this is, in any case (an operator's phone, a dialling phone); null when none.</summary>
    public PbxUser? WithCn(string? cn) =>
        cn is null ? null : Users.FirstOrDefault(user => string.Equals(user.Cn, cn, StringComparison.OrdinalIgnoreCase));

    /// <summary>The lamps are current only while live; otherwise they are last-known.</summary>
    public bool IsStale => Status.State != ConnectionState.Live;
}
