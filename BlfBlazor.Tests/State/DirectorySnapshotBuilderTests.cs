using BlfBlazor.State;
using Microsoft.Extensions.Time.Testing;

namespace BlfBlazor.Tests.State;

/// <summary>
/// The directory's snapshots as boards read them: one per version, shared by every reader, never
/// changed once handed out, and in board order whatever happened in between.
/// </summary>
[Trait("Category", "Unit")]
public class DirectorySnapshotBuilderTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Every_reader_of_one_version_gets_the_same_snapshot_and_a_change_makes_a_new_one()
    {
        var directory = new UserDirectory(_time, new PbxDescription("pbx.test", IsDemo: false));
        using var board = directory.Subscribe();
        IPbxStateWriter state = directory;
        state.BeginResync();
        state.Apply(UserChange.Upsert(new PbxUserInfo("b", null, "Bernd", "102", null, null, null, 1, 0, 0), isLive: false));
        state.Apply(UserChange.Upsert(new PbxUserInfo("a", null, "Anna", "101", null, null, null, 1, 0, 0), isLive: false));
        state.CompleteResync();

        var first = directory.Current;
        Assert.Same(first, directory.Current);
        Assert.Equal(["Anna", "Bernd"], first.Users.Select(u => u.DisplayName));
        Assert.False(first.IsStale);

        _time.Advance(TimeSpan.FromSeconds(1));
        state.Apply(UserChange.Upsert(new PbxUserInfo("c", null, "Carla", "103", null, null, null, 0, 0, 0), isLive: true));
        state.ConnectionLost("gone");
        var second = directory.Current;

        Assert.NotSame(first, second);
        Assert.Equal(["Anna", "Bernd", "Carla"], second.Users.Select(u => u.DisplayName));
        Assert.True(second.IsStale);
        Assert.Equal(_time.GetTimestamp(), second.ChangedTimestamp); // when the news came, for the open board's metric

        // The first snapshot is immutable: a board still showing it is not changed under its feet.
        Assert.Equal(2, first.Users.Length);
    }

    [Fact]
    public void Changes_nobody_read_for_a_long_time_still_come_out_in_board_order()
    {
        var directory = new UserDirectory(_time, new PbxDescription("pbx.test", IsDemo: false));
        IPbxStateWriter state = directory;
        state.BeginResync();
        state.CompleteResync();
        Assert.Empty(directory.Current.Users);

        // Far more changes than users while no board reads: the writer gives up noting each one.
        for (var i = 0; i < 3000; i++)
        {
            var guid = $"g{i % 40:00}";
            state.Apply(i % 7 == 0
                ? UserChange.Delete(guid)
                : UserChange.Upsert(new PbxUserInfo(guid, null, $"User {(i * 31) % 97:00}", $"{i % 40}", null, null, null, 1, i % 2, 0), isLive: true));
        }

        var shown = directory.Current.Users;
        var expected = shown.OrderBy(u => u.DisplayName, StringComparer.InvariantCultureIgnoreCase)
            .ThenBy(u => u.E164, StringComparer.Ordinal).ThenBy(u => u.Guid, StringComparer.Ordinal).Select(u => u.Guid);
        Assert.Equal(expected, shown.Select(u => u.Guid));

        // Each user is there once, as the last change left them.
        Assert.Equal(shown.Select(u => u.Guid).Distinct().Count(), shown.Length);
        Assert.All(shown, user => Assert.Equal(user.Guid, $"g{int.Parse(user.E164!, System.Globalization.CultureInfo.InvariantCulture):00}"));
    }
}
