using BlfBlazor.Components;
using BlfBlazor.Components.Pages;
using BlfBlazor.Diagnostics;
using BlfBlazor.State;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BlfBlazor.Tests.Components;

/// <summary>The board page against a real <see cref="UserDirectory"/>, rendered as an interactive circuit would.</summary>
public class BoardTests : BunitContext
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 9, 30, 0, TimeSpan.Zero));
    private readonly UserDirectory _directory;

    public BoardTests()
    {
        _time.SetLocalTimeZone(TimeZoneInfo.Utc);
        _directory = new UserDirectory(_time, new PbxDescription("pbx.test", IsDemo: false));
        Services.AddSingleton(_directory);
        Services.AddSingleton<TimeProvider>(_time);
        Services.AddMetrics();
        Services.AddSingleton<BlfMetrics>();
        Services.AddLocalization();
        Services.AddOptions<BoardOptions>();
        Services.AddSingleton(new PbxDescription("pbx.test", IsDemo: false, "rcc"));
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
    public void Reacts_to_directory_changes_without_being_asked()
    {
        GoLive(User("a", "Anna Berger", "101"), User("b", "Bernd Adler", "102"));
        var board = Render<Board>();

        _directory.Upsert(User("a", "Anna Berger", "101", alert: 1));
        board.WaitForAssertion(() =>
            Assert.Equal("ringing", board.Find("[data-guid=a]").GetAttribute("data-state")));

        _directory.Upsert(User("d", "Dora Klein", "104"));
        _directory.Remove("b");
        board.WaitForAssertion(() =>
            Assert.Equal(["a", "d"], board.FindAll("[data-testid=blf-tile]").Select(t => t.GetAttribute("data-guid"))));
    }

    [Fact]
    public void Only_the_changed_tile_renders_again()
    {
        GoLive(User("a", "Anna Berger", "101"), User("b", "Bernd Adler", "102"), User("c", "Carla Fuchs", "103"));
        var board = Render<Board>();
        var tiles = board.FindComponents<BlfBlazor.Components.Board.LampTile>();
        var before = tiles.ToDictionary(t => t.Instance.Guid, t => t.RenderCount);

        _directory.Upsert(User("b", "Bernd Adler", "102", channel: 1));
        board.WaitForAssertion(() => Assert.Equal("busy", board.Find("[data-guid=b]").GetAttribute("data-state")));

        var after = board.FindComponents<BlfBlazor.Components.Board.LampTile>().ToDictionary(t => t.Instance.Guid, t => t.RenderCount);
        Assert.Equal(before["a"], after["a"]);
        Assert.Equal(before["c"], after["c"]);
        Assert.Equal(before["b"] + 1, after["b"]);
    }

    [Fact]
    public void A_lost_connection_marks_every_tile_last_known_and_says_since_when()
    {
        GoLive(User("a", "Anna Berger", "101"));
        var board = Render<Board>();

        _time.Advance(TimeSpan.FromMinutes(2));
        _directory.ReportConnectionLost("The PBX closed the connection.");

        board.WaitForAssertion(() => Assert.Equal("reconnecting", board.Find("[data-testid=blf-board]").GetAttribute("data-connection")));
        Assert.Contains("09:32:00", board.Find("[data-testid=blf-connection]").TextContent, StringComparison.Ordinal);
        Assert.Equal("true", board.Find("[data-guid=a]").GetAttribute("data-stale"));
        Assert.Contains("last known", board.Find("[data-guid=a]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void A_refused_login_is_explained_on_the_board()
    {
        _directory.ReportLoginRefused("The PBX refused the login of app 'rcc': check Pbx:App and Pbx:Secret");

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

    private void GoLive(params PbxUser[] users)
    {
        _directory.BeginResync();
        foreach (var user in users)
        {
            _directory.Upsert(user);
        }

        _directory.CompleteResync();
    }

    private static PbxUser User(string guid, string dn, string e164, bool registered = true, int channel = 0, int alert = 0) =>
        new(guid, dn.ToLowerInvariant(), dn, e164, null, "root", "master", registered ? 1 : 0, channel, alert);
}
