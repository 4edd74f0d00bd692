using BlfBlazor.Tests.Infrastructure;
using BlfBlazor.Components;
using BlfBlazor.Components.Board;
using BlfBlazor.Components.Pages;
using BlfBlazor.Diagnostics;
using BlfBlazor.State;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;
using System.Diagnostics.Metrics;

namespace BlfBlazor.Tests.Components;

/// <summary>The board page against a real <see cref="UserDirectory"/>, rendered as an interactive circuit would.</summary>
[Trait("Category", "Component")]
public class BoardTests : BunitContext
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 9, 30, 0, TimeSpan.Zero));
    private readonly UserDirectory _directory;

    public BoardTests()
    {
        _time.SetLocalTimeZone(TimeZoneInfo.Utc);
        _directory = new UserDirectory(_time, new PbxDescription("pbx.test", IsDemo: false));
        Services.AddSingleton(_directory);
        Services.AddSingleton<BlfBlazor.Components.Board.LampTile>();
        Services.AddSingleton<BlfBlazor.Components.Board.QueueCard>();
        Services.AddSingleton<BoardArrangements>();
        Services.AddSingleton<TimeProvider>(_time);
        Services.AddMetrics();
        Services.AddSingleton<BlfMetrics>();
        Services.AddLocalization();
        // The render-tree path: these tests read tiles from the component's markup (tiles in place are the browser tests').
        Services.AddOptions<BoardOptions>().Configure(o => o.TilesInPlace = false);
        Services.AddSingleton(new PbxDescription("pbx.test", IsDemo: false, "rcc"));
        Services.AddHttpContextAccessor();
        Services.AddScoped<BlfBlazor.Components.CircuitConnection>();
        Services.AddScoped<ViewUrl>();
        JSInterop.SetupVoid("blfBoard.replaceUrl", _ => true);
        Services.AddBoardOperatorServices();
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    [Fact]
    public void Shows_a_tile_per_user_in_name_order_and_the_connection_state()
    {
        GoLive(User("b", "Bernd Adler", "102", channel: 1), User("a", "Anna Berger", "101"), User("c", "Carla Fuchs", "103", registered: false));

        var board = Render<Board>();

        var root = board.Find("[data-testid=blf-board]");
        Assert.Equal("live", root.GetAttribute("data-connection"));
        Assert.Equal("true", root.GetAttribute("data-interactive"));
        var tiles = board.FindAll("[data-testid=blf-tile]");
        Assert.Equal(["a", "b", "c"], tiles.Select(t => t.GetAttribute("data-guid")));
        Assert.Equal(["idle", "busy", "offline"], tiles.Select(t => t.GetAttribute("data-state")));
        Assert.Contains("1 busy", board.Find("[data-testid=blf-counts]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lamp_change_renders_only_the_block_of_tiles_that_holds_it()
    {
        GoLive([.. Enumerable.Range(0, 100).Select(i => User($"g{i:000}", $"User {i:000}", $"{100 + i}"))]);
        var board = Render<Board>();
        var blocks = board.FindComponents<TileBlockView>();
        Assert.Equal(4, blocks.Count);
        var rendersBefore = blocks.Select(block => block.RenderCount).ToArray();

        State.Apply(UserChange.Upsert(User("g040", "User 040", "140", channel: 1), isLive: true));
        board.WaitForAssertion(() => Assert.Equal("busy", board.Find("[data-guid=g040]").GetAttribute("data-state")));

        // The tile's block (tiles 32 to 63) rendered again; the other 68 tiles were not even looked at.
        Assert.Equal([0, 1, 0, 0], blocks.Select((block, i) => block.RenderCount - rendersBefore[i]));
        Assert.Equal(100, board.FindAll("[data-testid=blf-tile]").Count);
    }

    [Fact]
    public void Reacts_to_directory_changes_without_being_asked()
    {
        GoLive(User("a", "Anna Berger", "101"), User("b", "Bernd Adler", "102"));
        var board = Render<Board>();

        State.Apply(UserChange.Upsert(User("a", "Anna Berger", "101", alert: 1), isLive: true));
        board.WaitForAssertion(() =>
            Assert.Equal("ringing", board.Find("[data-guid=a]").GetAttribute("data-state")));

        State.Apply(UserChange.Upsert(User("d", "Dora Klein", "104"), isLive: true));
        State.Apply(UserChange.Delete("b"));
        board.WaitForAssertion(() =>
            Assert.Equal(["a", "d"], board.FindAll("[data-testid=blf-tile]").Select(t => t.GetAttribute("data-guid"))));
    }

    [Fact]
    public void Only_the_changed_tile_is_rendered_again()
    {
        GoLive(User("a", "Anna Berger", "101"), User("b", "Bernd Adler", "102"), User("c", "Carla Fuchs", "103"));
        using var tileRenders = new MetricCollector<long>(Services.GetRequiredService<IMeterFactory>(), BlfMetrics.MeterName, "blf.tile.renders");
        var board = Render<Board>();
        Assert.Equal(3, tileRenders.GetMeasurementSnapshot().EvaluateAsCounter());
        var annaBefore = board.Find("[data-guid=a]").OuterHtml;

        State.Apply(UserChange.Upsert(User("b", "Bernd Adler", "102", channel: 1), isLive: true));
        board.WaitForAssertion(() => Assert.Equal("busy", board.Find("[data-guid=b]").GetAttribute("data-state")));

        Assert.Equal(4, tileRenders.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(annaBefore, board.Find("[data-guid=a]").OuterHtml);
    }

    [Fact]
    public void Every_board_shows_the_same_tile_html()
    {
        GoLive(User("a", "Anna Berger", "101"));
        var first = Render<Board>();
        var second = Render<Board>();

        State.Apply(UserChange.Upsert(User("a", "Anna Berger", "101", alert: 1), isLive: true));
        first.WaitForAssertion(() => Assert.Equal("ringing", first.Find("[data-guid=a]").GetAttribute("data-state")));
        second.WaitForAssertion(() => Assert.Equal("ringing", second.Find("[data-guid=a]").GetAttribute("data-state")));

        Assert.Equal(first.Find("[data-guid=a]").OuterHtml, second.Find("[data-guid=a]").OuterHtml);
    }

    [Fact]
    public void A_lost_connection_marks_every_tile_last_known_and_says_since_when()
    {
        GoLive(User("a", "Anna Berger", "101"));
        var board = Render<Board>();

        _time.Advance(TimeSpan.FromMinutes(2));
        State.ConnectionLost("The PBX closed the connection.");

        board.WaitForAssertion(() => Assert.Equal("reconnecting", board.Find("[data-testid=blf-board]").GetAttribute("data-connection")));
        Assert.Contains("09:32:00", board.Find("[data-testid=blf-connection]").TextContent, StringComparison.Ordinal);
        Assert.Equal("true", board.Find("[data-guid=a]").GetAttribute("data-stale"));

        // Every tile's description is the board's note, which says "last known" now (and nothing while live).
        var note = board.Find("#" + board.Find("[data-guid=a]").GetAttribute("aria-describedby"));
        Assert.Equal("last known", note.TextContent);
        GoLive(User("a", "Anna Berger", "101"));
        board.WaitForAssertion(() => Assert.Null(board.Find("[data-guid=a]").GetAttribute("data-stale")));
        Assert.Empty(board.Find("#" + LampTile.StaleNoteId).TextContent);
    }

    [Fact]
    public void A_refused_login_is_explained_on_the_board()
    {
        State.LoginRefused("The PBX refused the login of app 'rcc': check Pbx:App and Pbx:Secret");

        var board = Render<Board>();

        Assert.Equal("auth-failed", board.Find("[data-testid=blf-board]").GetAttribute("data-connection"));
        Assert.Equal("The PBX refused the login of app 'rcc': check Pbx:App and Pbx:Secret", board.Find("[data-testid=blf-problem]").TextContent);
    }

    [Fact]
    public async Task Disposing_the_page_unsubscribes()
    {
        var board = Render<Board>();
        Assert.Equal(1, _directory.SubscriberCount);

        await DisposeComponentsAsync();

        Assert.Equal(0, _directory.SubscriberCount);
    }

    [Fact]
    public void Queue_cards_sit_above_the_tiles_follow_their_queue_and_go_stale_with_the_board()
    {
        GoLive(User("a", "Anna Berger", "101"));
        State.Queues.ListQueue("g-rec", "reception", "Reception", "200");
        var board = Render<Board>();

        board.WaitForAssertion(() => Assert.Equal("Reception", board.Find("[data-testid=blf-queue]").GetAttribute("data-queue-name")));
        Assert.True(board.Markup.IndexOf("data-testid=\"blf-queues\"", StringComparison.Ordinal) < board.Markup.IndexOf("data-testid=\"blf-tile\"", StringComparison.Ordinal));
        Assert.Empty(board.FindAll("[data-testid=blf-tile][data-guid=g-rec]"));

        State.Queues.CallerWaiting("g-rec", new QueueCaller(705, new CallPeer(null, "0711 4711", false), _time.GetUtcNow().ToUnixTimeMilliseconds(), false));
        board.WaitForAssertion(() => Assert.Equal("1", board.Find("[data-testid=blf-queue]").GetAttribute("data-queue-waiting")));

        State.ConnectionLost("The PBX closed the connection.");
        board.WaitForAssertion(() => Assert.Equal("true", board.Find("[data-testid=blf-queue]").GetAttribute("data-stale")));
    }

    [Theory]
    [InlineData("/?queues=off", 0, 1)]
    [InlineData("/?view=queues", 2, 0)]
    [InlineData("/?view=queues&queue=support", 1, 0)]
    [InlineData("/?queue=RECEPTION&queue=201", 2, 1)]
    public void The_url_hides_the_queues_shows_only_them_or_some_of_them(string url, int cards, int tiles)
    {
        GoLive(User("a", "Anna Berger", "101"));
        State.Queues.ListQueue("g-rec", "reception", "Reception", "200");
        State.Queues.ListQueue("g-sup", "support", "Support", "201");
        Services.GetRequiredService<NavigationManager>().NavigateTo(url);

        var board = Render<Board>();

        Assert.Equal(cards, board.FindAll("[data-testid=blf-queue]").Count);
        Assert.Equal(tiles, board.FindAll("[data-testid=blf-tile]").Count);
    }

    [Fact]
    public void The_url_chooses_the_view()
    {
        GoLive(User("a", "Anna Berger", "101"), User("b", "Bernd Adler", "102", channel: 1), User("c", "Carla Fuchs", "103", alert: 1));
        Services.GetRequiredService<NavigationManager>().NavigateTo("/?state=busy,ringing&sort=state");

        var board = Render<Board>();

        Assert.Equal(["c", "b"], board.FindAll("[data-testid=blf-tile]").Select(t => t.GetAttribute("data-guid")));
        Assert.Equal("2 of 3 shown", board.Find("[data-testid=blf-shown]").TextContent);
        Assert.False(board.Find("[data-testid=blf-filter-idle]").HasAttribute("checked"));
        Assert.Equal("state", board.Find("[data-testid=blf-sort]").GetAttribute("value"));
    }

    [Fact]
    public void Searching_filters_as_you_type_and_the_url_follows_once_typing_pauses()
    {
        GoLive(User("a", "Anna Berger", "101"), User("b", "Bernd Adler", "102"), User("c", "Carla Fuchs", "103"));
        var board = Render<Board>();

        board.Find("[data-testid=blf-search]").Input("b");
        board.Find("[data-testid=blf-search]").Input("berg");

        // The view follows every keystroke at once; the address only once typing pauses, with the last value.
        Assert.Equal(["a"], board.FindAll("[data-testid=blf-tile]").Select(t => t.GetAttribute("data-guid")));
        Assert.Empty(WrittenUrls());
        _time.Advance(ViewUrl.TypingPause);
        Assert.Single(WrittenUrls(), url => url.EndsWith("?q=berg", StringComparison.Ordinal));

        board.Find("[data-testid=blf-search]").Input("");
        board.Find("[data-testid=blf-filter-offline]").Change(false);
        board.Find("[data-testid=blf-sort]").Change("number");
        _time.Advance(ViewUrl.TypingPause);

        var url = WrittenUrls()[^1];
        Assert.Equal(2, WrittenUrls().Count);
        Assert.Contains("state=idle%2Cbusy%2Cringing", url, StringComparison.Ordinal);
        Assert.Contains("sort=number", url, StringComparison.Ordinal);
        Assert.DoesNotContain("q=", url, StringComparison.Ordinal);
        Assert.Equal(3, board.FindAll("[data-testid=blf-tile]").Count);
    }

    [Fact]
    public async Task A_board_without_an_operator_has_no_handler_for_tile_actions()
    {
        GoLive(User("a", "Anna Berger", "101"));
        var board = Render<Board>();

        // board.js raises blfaction for any element; with no handler, a forged one never reaches the server.
        await Assert.ThrowsAsync<MissingEventHandlerException>(() =>
            board.Find("[data-testid=blf-board]").TriggerEventAsync("onblfaction", new BlfActionEventArgs { Action = "call", Guid = "a" }));
    }

    [Fact]
    public async Task An_operators_tile_opens_the_presence_menu_and_forwarding_only_where_the_PBX_offers_it()
    {
        var signedIn = Services.SignInOperator("olivia operator");
        GoLive(User("a", "Anna Berger", "101"), User("o", "Olivia Operator", "100"));
        var board = Render<CascadingValue<Task<Microsoft.AspNetCore.Components.Authorization.AuthenticationState>>>(p => p
            .Add(c => c.Value, signedIn)
            .AddChildContent<Board>());
        var root = board.Find("[data-testid=blf-board]");
        Assert.Single(board.FindAll("[data-guid=a] [data-testid=blf-action-presence]"));
        Assert.Single(board.FindAll("[data-guid=a] [data-testid=blf-action-forward]"));

        // No PBX was asked whether forwarding can be set: the board hides the button (tiles.css) and opens no menu for it.
        Assert.False(root.HasAttribute("data-forward-settable"));
        await root.TriggerEventAsync("onblfaction", new BlfActionEventArgs { Action = "forward", Guid = "a" });
        Assert.Empty(board.FindAll("[data-testid=blf-forward-menu]"));

        await root.TriggerEventAsync("onblfaction", new BlfActionEventArgs { Action = "presence", Guid = "a" });
        Assert.Equal("a", board.Find("[data-testid=blf-presence-menu]").GetAttribute("data-guid"));
        board.Find("[data-testid=blf-menu-close]").Click();
        Assert.Empty(board.FindAll("[data-testid=blf-presence-menu]"));
    }

    private List<string> WrittenUrls() =>
        [.. JSInterop.Invocations.Where(i => i.Identifier == "blfBoard.replaceUrl").Select(i => (string)i.Arguments[0]!)];

    [Fact]
    public void Kiosk_has_no_controls()
    {
        GoLive(User("a", "Anna Berger", "101"));
        Services.GetRequiredService<NavigationManager>().NavigateTo("/?kiosk");

        var board = Render<Board>();

        Assert.Empty(board.FindAll("[data-testid=blf-controls]"));
        Assert.Empty(board.FindAll("button, input, select"));
        Assert.Contains("board--kiosk", board.Find("[data-testid=blf-board]").ClassList);
    }

    [Fact]
    public void Tiles_have_accessible_names_and_the_header_counts_every_state()
    {
        GoLive(User("a", "Anna Berger", "101"), User("b", "Bernd Adler", "102", channel: 1), User("c", "Carla Fuchs", "103", registered: false));

        var board = Render<Board>();

        Assert.Equal("Anna Berger, 101, Free", board.Find("[data-guid=a]").GetAttribute("aria-label"));
        Assert.Equal(["1 busy", "0 ringing", "1 free", "1 offline"], board.FindAll("[data-testid=blf-counts] li").Select(li => li.TextContent.Trim()));
        Assert.Equal(4, board.FindAll("[data-testid=blf-legend] li").Count);
    }

    [Fact]
    public void Everything_reads_in_german_when_german_is_chosen()
    {
        var previous = System.Globalization.CultureInfo.CurrentUICulture;
        System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo("de");
        try
        {
            GoLive(User("a", "Anna Berger", "101", channel: 1));

            var board = Render<Board>();

            Assert.Equal("Anna Berger, 101, Besetzt", board.Find("[data-guid=a]").GetAttribute("aria-label"));
            Assert.Contains("Live · 1 Benutzer", board.Find("[data-testid=blf-connection]").TextContent, StringComparison.Ordinal);
            Assert.Equal("Besetztlampenfeld", board.Find("h1").TextContent);
            Assert.Equal("Name oder Nummer", board.Find("[data-testid=blf-search]").GetAttribute("placeholder"));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentUICulture = previous;
        }
    }

    [Fact]
    public void A_lamp_that_changed_while_watched_carries_its_start_for_the_ticking_timer()
    {
        GoLive(User("a", "Anna Berger", "101"));
        var board = Render<Board>();
        Assert.Empty(board.FindAll("[data-guid=a] .tile-since"));

        State.Apply(UserChange.Upsert(User("a", "Anna Berger", "101", channel: 1), isLive: true));

        board.WaitForAssertion(() => Assert.Equal(
            _time.GetUtcNow().ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            board.Find("[data-guid=a] .tile-since").GetAttribute("data-since")));
    }

    /// <summary>The directory as the PBX connection writes it.</summary>
    private IPbxStateWriter State => _directory;

    private void GoLive(params PbxUserInfo[] users)
    {
        State.BeginResync();
        foreach (var user in users)
        {
            // As from an initial list: how long the lamp has been in its state is unknown.
            State.Apply(UserChange.Upsert(user, isLive: false));
        }

        State.CompleteResync();
    }

    private static PbxUserInfo User(string guid, string dn, string e164, bool registered = true, int channel = 0, int alert = 0) =>
        new(guid, dn.ToLowerInvariant(), dn, e164, null, "root", "master", registered ? 1 : 0, channel, alert);
}
