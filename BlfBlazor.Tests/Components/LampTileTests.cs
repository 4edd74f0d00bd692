using System.Globalization;
using BlfBlazor.Components.Board;
using BlfBlazor.Resources;
using BlfBlazor.State;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace BlfBlazor.Tests.Components;

[Trait("Category", "Component")]
public class LampTileTests : BunitContext
{
    public LampTileTests()
    {
        Services.AddLocalization();
    }

    /// <summary>The tile's HTML as the browser gets it, parsed.</summary>
    private IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> Tile(string guid, string name, LampState state, string? number = null, bool stale = false, long since = 0)
    {
        var user = new PbxUser(guid, null, name, number, null, null, null,
            RegisteredDevices: state == LampState.Offline ? 0 : 1,
            Channel: state == LampState.Busy ? 1 : 0,
            Alert: state == LampState.Ringing ? 1 : 0)
        { LampSinceUnixMs = since };
        var html = new LampTile().Html(user, stale, CultureTexts<BoardText>.In(CultureInfo.GetCultureInfo("en")));
        return Render(builder => builder.AddContent(0, html));
    }

    [Theory]
    [InlineData(LampState.Offline, "offline", "Offline")]
    [InlineData(LampState.Idle, "idle", "Free")]
    [InlineData(LampState.Busy, "busy", "Busy")]
    [InlineData(LampState.Ringing, "ringing", "Ringing")]
    public void Each_lamp_state_has_its_token_and_its_word(LampState state, string token, string word)
    {
        var tile = Tile("a1", "Anna Berger", state, "101");

        var li = tile.Find("[data-testid=blf-tile]");
        Assert.Equal(token, li.GetAttribute("data-state"));
        Assert.Equal("a1", li.GetAttribute("data-guid"));
        Assert.Equal(word, tile.Find(".tile-state").TextContent);
        Assert.Contains("Anna Berger", li.TextContent, StringComparison.Ordinal);
        Assert.Contains("101", li.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stale_tile_is_marked_and_described_by_the_boards_last_known_note()
    {
        var tile = Tile("a1", "Anna Berger", LampState.Busy, stale: true);

        Assert.Equal("true", tile.Find("[data-testid=blf-tile]").GetAttribute("data-stale"));
        Assert.Equal("Anna Berger, Busy", tile.Find("[data-testid=blf-tile]").GetAttribute("aria-label"));
        Assert.Equal(LampTile.StaleNoteId, tile.Find("[data-testid=blf-tile]").GetAttribute("aria-describedby"));
    }

    [Fact]
    public void Markup_in_a_name_is_shown_as_text()
    {
        var tile = Tile("a1\"><b>x</b>", "<img src=x onerror=alert(1)>Eve \"Ü\" & 'Jürgen'", LampState.Idle, "<i>101</i>");

        Assert.Empty(tile.FindAll("img"));
        Assert.Empty(tile.FindAll("b"));
        Assert.Empty(tile.FindAll("i")); // the number's markup is text
        Assert.Equal("<img src=x onerror=alert(1)>Eve \"Ü\" & 'Jürgen'", tile.Find(".tile-name").TextContent);
        Assert.Equal("<img src=x onerror=alert(1)>Eve \"Ü\" & 'Jürgen'", tile.Find(".tile-name").GetAttribute("title"));
        Assert.Equal("a1\"><b>x</b>", tile.Find("[data-testid=blf-tile]").GetAttribute("data-guid"));
        Assert.Equal("<i>101</i>", tile.Find(".tile-number").TextContent);
    }

    [Fact]
    public void A_lamp_that_changed_while_watched_carries_its_start_for_the_timer()
    {
        var tile = Tile("a1", "Anna Berger", LampState.Busy, since: 1_790_000_000_000);

        Assert.Equal("1790000000000", tile.Find(".tile-since").GetAttribute("data-since"));
        Assert.Equal("Anna Berger, Busy", tile.Find("[data-testid=blf-tile]").GetAttribute("aria-label"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void With_every_part_present_a_screen_reader_hears_name_number_and_state(bool stale)
    {
        var tile = Tile("a1", "Anna Berger", LampState.Ringing, "101", stale: stale);

        Assert.Equal("Anna Berger, 101, Ringing", tile.Find("[data-testid=blf-tile]").GetAttribute("aria-label"));
    }

    [Fact]
    public void A_user_without_name_or_number_is_announced_by_the_state_alone()
    {
        var tile = Tile("a1", "", LampState.Idle);

        Assert.Equal("Free", tile.Find("[data-testid=blf-tile]").GetAttribute("aria-label"));
    }

    private IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> ForwardedTile(string culture, params Diversion[] forwarding)
    {
        var user = new PbxUser("a1", "anna", "Anna Berger", "101", "anna", null, null, RegisteredDevices: 1, Channel: 0, Alert: 0) { Forwarding = forwarding };
        var html = new LampTile().Html(user, stale: false, CultureTexts<BoardText>.In(CultureInfo.GetCultureInfo(culture)));
        return Render(builder => builder.AddContent(0, html));
    }

    [Theory]
    [InlineData("en", "forwarded \u2192 Carol Clark", "Anna Berger, 101, Free, forwarded to Carol Clark")]
    [InlineData("de", "umgeleitet \u2192 Carol Clark", "Anna Berger, 101, Frei, umgeleitet an Carol Clark")]
    public void Forwarded_always_says_so_on_the_face_of_a_free_tile_and_in_its_name(string culture, string line, string label)
    {
        var tile = ForwardedTile(culture,
            new Diversion(DiversionKind.Always, "c1", "Carol Clark", IsExternal: false, IsConditional: false),
            new Diversion(DiversionKind.NoAnswer, null, "0800", IsExternal: true, IsConditional: false));

        var root = tile.Find("[data-testid=blf-tile]");
        Assert.Equal("always no-answer", root.GetAttribute("data-forward"));
        Assert.Equal("Carol Clark", root.GetAttribute("data-forward-to"));
        Assert.Null(root.GetAttribute("data-forward-conditional"));
        Assert.Equal(line, tile.Find("[data-testid=blf-tile-forward]").TextContent);
        Assert.Equal(label, root.GetAttribute("aria-label"));
        Assert.Equal(2, tile.FindAll(".tile-detail-forward").Count);
        Assert.Equal("idle", root.GetAttribute("data-state"));
    }

    [Fact]
    public void Busy_and_no_answer_are_a_small_mark_with_the_destinations_in_the_detail()
    {
        var tile = ForwardedTile("en",
            new Diversion(DiversionKind.Busy, "b1", "Bob Baker", IsExternal: false, IsConditional: true),
            new Diversion(DiversionKind.NoAnswer, null, null, IsExternal: true, IsConditional: false));

        var root = tile.Find("[data-testid=blf-tile]");
        Assert.Equal("busy no-answer", root.GetAttribute("data-forward"));
        Assert.Equal("Bob Baker", root.GetAttribute("data-forward-to"));
        Assert.Equal("true", root.GetAttribute("data-forward-conditional"));
        Assert.Equal("\u21aa if busy \u00b7 no answer", tile.Find("[data-testid=blf-tile-forward]").TextContent);
        Assert.DoesNotContain("forwarded", root.TextContent, StringComparison.Ordinal);
        Assert.Equal(
            ["When busy, calls go to Bob Baker (only at times)", "Unanswered calls go to an external number"],
            tile.FindAll(".tile-detail-forward").Select(p => p.TextContent));
        Assert.Equal("0", root.GetAttribute("tabindex"));
    }

    [Fact]
    public void A_hidden_destination_leaves_no_trace_but_the_forwarding_itself()
    {
        var tile = ForwardedTile("en", new Diversion(DiversionKind.Always, null, null, IsExternal: false, IsConditional: false));

        var root = tile.Find("[data-testid=blf-tile]");
        Assert.Equal("always", root.GetAttribute("data-forward"));
        Assert.Null(root.GetAttribute("data-forward-to"));
        Assert.Equal("forwarded", tile.Find("[data-testid=blf-tile-forward]").TextContent);
        Assert.Equal("All calls are forwarded", tile.Find(".tile-detail-forward").TextContent);
    }

    [Fact]
    public void A_tile_without_forwarding_has_none_of_its_attributes()
    {
        var tile = ForwardedTile("en");

        var root = tile.Find("[data-testid=blf-tile]");
        Assert.Null(root.GetAttribute("data-forward"));
        Assert.Empty(tile.FindAll("[data-testid=blf-tile-forward]"));
    }
}
