using System.Globalization;
using BlfBlazor.Components;
using BlfBlazor.Components.Board;
using BlfBlazor.Resources;
using BlfBlazor.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BlfBlazor.Tests.Components;

/// <summary>What a board shows and re-sends as the directory changes, without a renderer.</summary>
[Trait("Category", "Unit")]
public sealed class BoardFeedTests : IAsyncDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 9, 30, 0, TimeSpan.Zero));
    private readonly UserDirectory _directory;
    private readonly LampTile _tileHtml = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddLogging().AddLocalization().BuildServiceProvider();
    private readonly List<BoardFeed> _feeds = [];
    private readonly BoardArrangements _arrangements;

    public BoardFeedTests()
    {
        _directory = new UserDirectory(_time, new PbxDescription("pbx.test", IsDemo: false));
        _arrangements = new BoardArrangements(_tileHtml, Options.Create(new BoardOptions()));
    }

    private IStringLocalizer<BoardText> Text => _services.GetRequiredService<IStringLocalizer<BoardText>>();

    private IPbxStateWriter State => _directory;

    [Fact]
    public void A_lamp_change_re_sends_that_one_tile_and_keeps_the_others()
    {
        GoLive(User("a", "Anna"), User("b", "Bernd"), User("c", "Clara"));
        var feed = Feed();
        var before = feed.Tiles;
        Assert.Equal(3, feed.TakeTilesChanged());

        State.Apply(UserChange.Upsert(User("b", "Bernd", channel: 1), isLive: true));

        Assert.True(feed.Refresh());
        Assert.Equal(1, feed.TakeTilesChanged());
        Assert.Same(before[0].Html.Value, feed.Tiles[0].Html.Value);
        Assert.Contains("data-state=\"busy\"", feed.Tiles[1].Html.Value, StringComparison.Ordinal);
        Assert.Same(before[2].Html.Value, feed.Tiles[2].Html.Value);
        Assert.Equal(1, feed.Counts[(int)LampState.Busy]);
        Assert.Equal(2, feed.Counts[(int)LampState.Idle]);

        // Nothing new: nothing to render.
        Assert.False(feed.Refresh());
    }

    [Fact]
    public void Losing_the_pbx_re_sends_every_tile_as_last_known_and_live_again_re_sends_them_fresh()
    {
        GoLive(User("a", "Anna"), User("b", "Bernd"));
        var feed = Feed();
        feed.TakeTilesChanged();

        State.ConnectionLost("gone");
        Assert.True(feed.Refresh());

        Assert.Equal(2, feed.TakeTilesChanged());
        Assert.All(feed.Tiles, t => Assert.Contains("data-stale=\"true\"", t.Html.Value, StringComparison.Ordinal));

        GoLive(User("a", "Anna"), User("b", "Bernd"));
        Assert.True(feed.Refresh());
        Assert.Equal(2, feed.TakeTilesChanged());
        Assert.All(feed.Tiles, t => Assert.DoesNotContain("data-stale", t.Html.Value, StringComparison.Ordinal));
    }

    [Fact]
    public void Boards_share_one_tile_html_per_record()
    {
        GoLive(User("a", "Anna"), User("b", "Bernd"));

        var first = Feed();
        var second = Feed(new BoardQuery("", BoardQuery.AllStates, BoardSort.Number, BoardGrouping.None));

        foreach (var tile in first.Tiles)
        {
            Assert.Same(tile.Html.Value, second.Tiles.Single(t => t.User.Guid == tile.User.Guid).Html.Value);
        }
    }

    [Fact]
    public void A_view_shows_its_sections_as_ranges_of_the_tiles_and_counts_the_whole_board()
    {
        GoLive(User("a", "Anna", node: "berlin"), User("b", "Bernd", node: "munich", channel: 1), User("c", "Clara", node: "berlin"));
        var feed = Feed(BoardQuery.Parse(search: null, states: "busy,idle", sort: null, group: "node"));

        Assert.Equal(["berlin", "munich"], feed.Sections.Select(s => s.Title));
        Assert.Equal(["a", "c", "b"], feed.Tiles.Select(t => t.User.Guid));
        Assert.Equal((0, 2), (feed.Sections[0].Start, feed.Sections[0].Count));
        Assert.Equal((2, 1), (feed.Sections[1].Start, feed.Sections[1].Count));

        feed.Show(BoardQuery.Parse(search: "bern", states: null, sort: null, group: null));
        Assert.Equal(["b"], feed.Tiles.Select(t => t.User.Guid));
        Assert.Equal(2, feed.Counts[(int)LampState.Idle]);
    }

    [Fact]
    public void A_lamp_change_gives_only_the_block_that_holds_it_a_new_value()
    {
        GoLive(Many(100));
        var feed = Feed();
        var before = feed.Sections[0].Blocks;
        Assert.Equal(4, before.Count);

        State.Apply(UserChange.Upsert(User("g040", "User 040", channel: 1), isLive: true));
        Assert.True(feed.Refresh());

        // Tile 40 is in the second block of 32: only that block renders again, on every board.
        var after = feed.Sections[0].Blocks;
        Assert.Same(before[0], after[0]);
        Assert.NotSame(before[1], after[1]);
        Assert.Same(before[2], after[2]);
        Assert.Same(before[3], after[3]);
        Assert.Contains("data-state=\"busy\"", after[1].Tiles[40 - TileBlock.Size].Html.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Users_added_removed_and_reordered_show_once_each_in_board_order_across_blocks()
    {
        GoLive(Many(70));
        var feed = Feed(new BoardQuery("", BoardQuery.AllStates, BoardSort.State, BoardGrouping.None));

        State.Apply(UserChange.Upsert(User("new", "User 005a"), isLive: true));
        State.Apply(UserChange.Delete("g050"));
        State.Apply(UserChange.Upsert(User("g060", "User 060", alert: 1), isLive: true)); // ringing sorts first
        Assert.True(feed.Refresh());

        var inBlocks = feed.Sections[0].Blocks.SelectMany(block => block.Tiles).Select(tile => tile.User.Guid).ToList();
        Assert.Equal(feed.Tiles.Select(tile => tile.User.Guid), inBlocks);
        Assert.Equal(70, inBlocks.Distinct().Count());
        Assert.Equal("g060", inBlocks[0]);
        Assert.Equal(["g000", "g001", "g002", "g003", "g004", "g005", "new", "g006"], inBlocks.Skip(1).Take(8));
        Assert.DoesNotContain("g050", inBlocks);
        Assert.All(feed.Sections[0].Blocks.SkipLast(1), block => Assert.Equal(TileBlock.Size, block.Tiles.Count));
    }

    [Fact]
    public async Task Following_refreshes_on_each_change_and_stops_when_disposed()
    {
        GoLive(User("a", "Anna"));
        var feed = Feed();
        var shown = new SemaphoreSlim(0);
        feed.Follow(
            work =>
            {
                work();
                return Task.CompletedTask;
            },
            () =>
            {
                if (feed.Refresh())
                {
                    shown.Release();
                }
            },
            ex => Task.FromException(ex));
        Assert.Equal(1, _directory.SubscriberCount);

        State.Apply(UserChange.Upsert(User("a", "Anna", alert: 1), isLive: true));
        Assert.True(await shown.WaitAsync(Infrastructure.TestTimeouts.StateShown));
        Assert.Equal(LampState.Ringing, feed.Tiles[0].User.Lamp);

        await Close(feed);
        Assert.Equal(0, _directory.SubscriberCount);
    }

    [Fact]
    public void Boards_with_the_same_view_show_the_same_tiles_and_blocks()
    {
        GoLive(Many(70));
        var grouped = BoardQuery.Parse(search: null, states: "idle,busy", sort: "number", group: "node");
        var first = Feed(grouped);

        // The same view parsed again from another board's URL: an equal query, not the same object.
        var second = Feed(BoardQuery.Parse(search: null, states: "busy,idle", sort: "number", group: "node"));

        Assert.Same(first.Tiles, second.Tiles);
        Assert.Same(first.Sections, second.Sections);

        State.Apply(UserChange.Upsert(User("g040", "User 040", channel: 1), isLive: true));
        Assert.True(first.Refresh());
        Assert.True(second.Refresh());
        Assert.Same(first.Tiles, second.Tiles);
        Assert.All(first.Sections.Zip(second.Sections), pair => Assert.Same(pair.First.Blocks, pair.Second.Blocks));
        Assert.Equal(1, _arrangements.ViewCount);
    }

    [Fact]
    public void Boards_with_different_views_or_languages_or_buttons_arrange_their_own()
    {
        GoLive(Many(10));
        var plain = Feed();
        var sorted = Feed(new BoardQuery("", BoardQuery.AllStates, BoardSort.State, BoardGrouping.None));
        var withButtons = Feed();
        withButtons.ShowActions(true);
        var german = Feed(language: "de");

        BoardFeed[] feeds = [plain, sorted, withButtons, german];
        Assert.Equal(4, _arrangements.ViewCount);
        Assert.Equal(4, feeds.Select(f => f.Tiles).Distinct(ReferenceEqualityComparer.Instance).Count());
        Assert.Contains("blf-action", withButtons.Tiles[0].Html.Value, StringComparison.Ordinal);
        Assert.DoesNotContain("blf-action", plain.Tiles[0].Html.Value, StringComparison.Ordinal);

        // The German board's tiles say their words in German, whoever refreshes it.
        State.Apply(UserChange.Upsert(User("g003", "User 003", channel: 1), isLive: true));
        Assert.True(german.Refresh());
        Assert.Contains("Besetzt", german.Tiles[3].Html.Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_view_nobody_shows_any_more_is_dropped()
    {
        GoLive(Many(10));
        var searching = Feed(BoardQuery.Parse(search: "User 00", states: null, sort: null, group: null));
        var plain = Feed();
        Assert.Equal(2, _arrangements.ViewCount);

        // The one searching board clears its search: its old view goes, the plain one is shared.
        searching.Show(BoardQuery.Default);
        Assert.Equal(1, _arrangements.ViewCount);
        Assert.Same(plain.Tiles, searching.Tiles);

        await Close(plain);
        Assert.Equal(1, _arrangements.ViewCount);
        await Close(searching);
        Assert.Equal(0, _arrangements.ViewCount);
    }

    [Fact]
    public void A_change_is_arranged_once_for_all_boards_of_a_view()
    {
        GoLive(Many(100));
        var feeds = Enumerable.Range(0, 50).Select(_ => Feed()).ToList();
        var arranged = _arrangements.Arranged;
        feeds.ForEach(f => f.TakeTilesChanged());

        State.Apply(UserChange.Upsert(User("g040", "User 040", channel: 1), isLive: true));
        Assert.All(feeds, f => Assert.True(f.Refresh()));

        Assert.Equal(arranged + 1, _arrangements.Arranged);

        // Each board still counts what its own next render sends.
        Assert.All(feeds, f => Assert.Equal(1, f.TakeTilesChanged()));
    }

    [Fact]
    public void A_board_that_skipped_changes_counts_the_tiles_changed_since_it_last_showed()
    {
        GoLive(Many(100));
        var behind = Feed();
        var current = Feed();
        behind.TakeTilesChanged();

        State.Apply(UserChange.Upsert(User("g010", "User 010", channel: 1), isLive: true));
        Assert.True(current.Refresh());
        State.Apply(UserChange.Upsert(User("g070", "User 070", channel: 1), isLive: true));
        Assert.True(current.Refresh());

        Assert.True(behind.Refresh());
        Assert.Same(current.Tiles, behind.Tiles);
        Assert.Equal(2, behind.TakeTilesChanged());
    }

    [Fact]
    public void A_board_that_read_the_directory_before_a_change_shows_what_its_view_already_arranged_since()
    {
        GoLive(Many(40));
        var first = Feed();
        var second = Feed();
        State.Apply(UserChange.Upsert(User("g010", "User 010", channel: 1), isLive: true));
        Assert.True(first.Refresh());
        var arranged = _arrangements.Arranged;

        // The second board, still on the snapshot before, is shown the newer one at once, not arranged anew.
        second.Show(BoardQuery.Default);
        Assert.Equal(arranged, _arrangements.Arranged);
        Assert.Same(first.Tiles, second.Tiles);
        Assert.Equal(first.Snapshot.Version, second.Snapshot.Version);
        Assert.False(second.Refresh());
    }

    private async Task Close(BoardFeed feed)
    {
        await feed.DisposeAsync();
        _feeds.Remove(feed);
    }

    [Fact]
    public void Favourites_come_in_the_board_order_whatever_the_view_and_every_board_shares_their_html()
    {
        GoLive(User("a", "Anna"), User("b", "Bernd"), User("c", "Clara"));
        var searching = Feed(BoardQuery.Parse("anna", null, null, null));
        var sorted = Feed(BoardQuery.Parse(null, null, "state", null));
        HashSet<string> stars = ["c", "b"];
        searching.ShowFavourites(stars);
        sorted.ShowFavourites(stars);

        // The search hides Bernd and Clara from the view, not from the person's favourites.
        Assert.Equal(["b", "c"], searching.FavouriteBlocks.SelectMany(block => block.Tiles).Select(tile => tile.User.Guid));
        var tile = searching.FavouriteBlocks[0].Tiles[0].Html.Value;
        Assert.Same(tile, sorted.FavouriteBlocks[0].Tiles[0].Html.Value);
        var shared = new Microsoft.AspNetCore.Components.MarkupString("""<div aria-describedby="blf-detail-b blf-stale-note"><div id="blf-detail-b">""");
        Assert.Equal("""<div aria-describedby="blf-favourite-detail-b blf-stale-note"><div id="blf-favourite-detail-b">""", _tileHtml.AsFavourite(shared).Value);
        Assert.Same(_tileHtml.AsFavourite(shared).Value, _tileHtml.AsFavourite(shared).Value);
        Assert.True(searching.TakeFavouritesChanged());

        // A lamp change elsewhere leaves the section as it was; one of a favourite changes it.
        State.Apply(UserChange.Upsert(User("a", "Anna", channel: 1), isLive: true));
        Assert.True(searching.Refresh());
        Assert.False(searching.TakeFavouritesChanged());
        State.Apply(UserChange.Upsert(User("c", "Clara", channel: 1), isLive: true));
        Assert.True(searching.Refresh());
        Assert.True(searching.TakeFavouritesChanged());
        Assert.Contains("data-state=\"busy\"", searching.FavouriteBlocks[0].Tiles[1].Html.Value, StringComparison.Ordinal);

        searching.ShowFavourites(null);
        Assert.Equal(0, searching.FavouriteCount);
    }

    private BoardFeed Feed(BoardQuery? query = null, string language = "en")
    {
        var feed = new BoardFeed(_directory, _arrangements, CultureInfo.GetCultureInfo(language));
        feed.Show(query ?? BoardQuery.Default);
        _feeds.Add(feed);
        return feed;
    }

    private void GoLive(params PbxUserInfo[] users)
    {
        State.BeginResync();
        foreach (var user in users)
        {
            State.Apply(UserChange.Upsert(user, isLive: false));
        }

        State.CompleteResync();
    }

    /// <summary>Users g000, g001, … named "User 000", "User 001", … (so the board's name order is their number order).</summary>
    private static PbxUserInfo[] Many(int count) =>
        [.. Enumerable.Range(0, count).Select(i => User($"g{i:000}", $"User {i:000}"))];

    private static PbxUserInfo User(string guid, string dn, string node = "root", int channel = 0, int alert = 0) =>
        new(guid, dn.ToLowerInvariant(), dn, $"1{guid}", null, node, "master", 1, channel, alert);

    public async ValueTask DisposeAsync()
    {
        foreach (var feed in _feeds)
        {
            await feed.DisposeAsync();
        }

        await _services.DisposeAsync();
    }
}
