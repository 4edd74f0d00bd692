using BlfBlazor.State;

namespace BlfBlazor.Tests.State;

[Trait("Category", "Unit")]
public class DirectorySnapshotBuilderTests
{
    private static readonly ConnectionStatus s_live = new(ConnectionState.Live, DateTimeOffset.UnixEpoch, null, "pbx.test", IsDemo: false);

    [Fact]
    public void Every_reader_of_one_version_gets_the_same_snapshot_and_a_change_makes_a_new_one()
    {
        var builder = new DirectorySnapshotBuilder();
        var users = new Dictionary<string, UserEntry>(StringComparer.Ordinal);
        Add(builder, users, new PbxUser("b", null, "Bernd", "102", null, null, null, 1, 0, 0));
        Add(builder, users, new PbxUser("a", null, "Anna", "101", null, null, null, 1, 0, 0));

        var first = builder.Build(1, users, s_live);
        Assert.Same(first, builder.Build(1, users, s_live));
        Assert.Equal(["Anna", "Bernd"], first.Users.Select(u => u.DisplayName));
        Assert.False(first.IsStale);

        Add(builder, users, new PbxUser("c", null, "Carla", "103", null, null, null, 0, 0, 0));
        var lost = s_live with { State = ConnectionState.Reconnecting };
        var second = builder.Build(2, users, lost);

        Assert.NotSame(first, second);
        Assert.Equal(["Anna", "Bernd", "Carla"], second.Users.Select(u => u.DisplayName));
        Assert.True(second.IsStale);

        // The first snapshot is immutable: a board still showing it is not changed under its feet.
        Assert.Equal(2, first.Users.Length);
    }

    private static void Add(DirectorySnapshotBuilder builder, Dictionary<string, UserEntry> users, PbxUser user)
    {
        builder.Order.Upserted(null, user);
        users[user.Guid] = new UserEntry(user, 1);
    }
}
